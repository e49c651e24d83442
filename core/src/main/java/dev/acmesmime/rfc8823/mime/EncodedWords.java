package dev.acmesmime.rfc8823.mime;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.acmesmime.rfc8823.Untrusted;

/**
 * Decodes RFC 2047 encoded words in an unstructured field body (the Subject), including the
 * RFC 2231 §5 language suffix ({@code =?US-ASCII*EN?Q?...?=}, X5), and reports which charsets
 * were used so the caller can enforce RFC 8823 §3.1 item 1 (C7).
 * <p>
 * Whitespace between two adjacent encoded words is dropped (RFC 2047 §6.2). A word that does not
 * decode (bad base64, bad {@code =XX}, invalid UTF-8, unknown charset) is kept literally and noted
 * in {@link Decoded#problems()}. Internal, not API.
 */
public final class EncodedWords {

    /** RFC 2047 §2 encoded-word, with the RFC 2231 §5 {@code *language} suffix on the charset. */
    private static final Pattern WORD = Pattern.compile(
            "=\\?([^?*\\s]+)(\\*[^?\\s]*)?\\?([BbQq])\\?([^?\\s]*)\\?=");
    /**
     * This JVM's charsets by lower-case name and alias, read once. {@link Charset#forName} searches every
     * charset provider again for a name it does not know, so a Subject of a few hundred words in an unknown
     * charset took 16 ms of CPU (found by the fuzzing campaign, issue 14); a map miss costs nothing.
     */
    private static final Map<String, Charset> CHARSETS = charsets();

    private EncodedWords() {
    }

    /**
     * An encoded word whose charset is not UTF-8 or US-ASCII.
     *
     * @param charset the charset label as written
     * @param start   index of its decoded text in {@link Decoded#text()}
     * @param end     index after its decoded text
     */
    public record ForeignWord(String charset, int start, int end) {
    }

    /**
     * @param text         the decoded field body
     * @param foreignWords encoded words in charsets other than UTF-8/US-ASCII (C7)
     * @param problems     one line per word that could not be decoded and was kept literally
     * @param encoded      {@code true} when at least one encoded word was decoded
     */
    public record Decoded(String text, List<ForeignWord> foreignWords, List<String> problems, boolean encoded) {
    }

    public static Decoded decode(String value) {
        StringBuilder out = new StringBuilder(value.length());
        List<ForeignWord> foreign = new ArrayList<>(0);
        List<String> problems = new ArrayList<>(0);
        boolean encoded = false;
        Matcher m = WORD.matcher(value);
        int pos = 0;
        boolean previousWasWord = false;
        while (m.find()) {
            String between = value.substring(pos, m.start());
            if (!(previousWasWord && between.isBlank())) {
                out.append(between);
            }
            String charsetLabel = m.group(1);
            String decoded = decodeWord(charsetLabel, m.group(3), m.group(4), problems, m.group());
            if (decoded == null) {
                out.append(m.group());
                previousWasWord = false;
            } else {
                encoded = true;
                int start = out.length();
                out.append(decoded);
                if (!allowed(charsetLabel)) {
                    foreign.add(new ForeignWord(charsetLabel, start, out.length()));
                }
                previousWasWord = true;
            }
            pos = m.end();
        }
        out.append(value, pos, value.length());
        return new Decoded(out.toString(), foreign, problems, encoded);
    }

    /** C7: only these two charsets may label an encoded word in the Subject. */
    public static boolean allowed(String charsetLabel) {
        String c = charsetLabel.toLowerCase(Locale.ROOT);
        return c.equals("utf-8") || c.equals("us-ascii");
    }

    private static String decodeWord(String charsetLabel, String encoding, String text, List<String> problems,
                                     String word) {
        byte[] bytes;
        if (encoding.equalsIgnoreCase("B")) {
            bytes = decodeB(text);
        } else {
            bytes = decodeQ(text);
        }
        if (bytes == null) {
            problems.add("encoded word does not decode: " + Untrusted.quote(word));
            return null;
        }
        Charset charset = CHARSETS.get(charsetLabel.toLowerCase(Locale.ROOT));
        if (charset == null) {
            problems.add("unknown charset in encoded word: " + Untrusted.quote(charsetLabel));
            return null;
        }
        try {
            return charset.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            problems.add("encoded word is not valid " + Untrusted.quote(charsetLabel) + ": "
                    + Untrusted.quote(word));
            return null;
        }
    }

    private static Map<String, Charset> charsets() {
        Map<String, Charset> byName = new HashMap<>();
        for (Charset c : Charset.availableCharsets().values()) {
            byName.put(c.name().toLowerCase(Locale.ROOT), c);
            c.aliases().forEach(alias -> byName.putIfAbsent(alias.toLowerCase(Locale.ROOT), c));
        }
        return Map.copyOf(byName);
    }

    private static byte[] decodeB(String text) {
        String padded = text;
        // some encoders drop the padding; the bits are still unambiguous
        while (padded.length() % 4 != 0 && !padded.endsWith("=")) {
            padded = padded + "=";
        }
        try {
            return Base64.getDecoder().decode(padded.getBytes(StandardCharsets.US_ASCII));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static byte[] decodeQ(String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '_') {
                out.write(0x20);
            } else if (c == '=') {
                if (i + 2 >= text.length()) {
                    return null;
                }
                int hi = Character.digit(text.charAt(i + 1), 16);
                int lo = Character.digit(text.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    return null;
                }
                out.write(hi * 16 + lo);
                i += 2;
            } else if (c > 0x20 && c < 0x7f) {
                out.write(c);
            } else {
                return null;
            }
        }
        return out.toByteArray();
    }
}
