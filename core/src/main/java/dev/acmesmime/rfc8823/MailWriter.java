package dev.acmesmime.rfc8823;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes the US-ASCII, CRLF, 7bit messages that {@link ChallengeMail} and {@link ResponseMail}
 * compose, and validates the values that go into their header fields so that no caller input can
 * inject a header or a line break (RFC 5322 §2.1.1, §2.2).
 */
final class MailWriter {

    /** RFC 5322 §3.3 date-time; numeric zone (the "GMT" of RFC 1123 is obsolete syntax). */
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss xx", Locale.ENGLISH);
    /** A conservative addr-spec: dot-atom local part and domain, ASCII (X20 rejects odd forms). */
    private static final Pattern ADDR_SPEC = Pattern.compile(
            "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)*");
    /** A msg-id as it may be repeated in In-Reply-To/References (RFC 5322 §3.6.4), bounded in length. */
    private static final Pattern MSG_ID = Pattern.compile("<[\\x21-\\x3b\\x3d\\x3f-\\x7e]{1,250}>");
    private static final int FOLD_AT = 76;

    private final StringBuilder sb = new StringBuilder(1024);

    static String address(String value, String what) {
        if (value == null) {
            throw new IllegalStateException(what + " is required");
        }
        String v = value.strip();
        if (v.startsWith("<") && v.endsWith(">")) {
            v = v.substring(1, v.length() - 1);
        }
        if (!ADDR_SPEC.matcher(v).matches() || v.length() > 254) {
            throw new IllegalArgumentException(what + " must be a plain US-ASCII addr-spec, got " + Untrusted.quote(value));
        }
        return v;
    }

    /** The first well-formed msg-id in a header value, or {@code null}. */
    static String firstMessageId(String value) {
        if (value == null) {
            return null;
        }
        Matcher m = MSG_ID.matcher(value);
        return m.find() ? m.group() : null;
    }

    static String messageId(String value, String what) {
        String id = value.strip();
        if (!id.startsWith("<")) {
            id = "<" + id + ">";
        }
        if (!MSG_ID.matcher(id).matches()) {
            throw new IllegalArgumentException(what + " must be a msg-id like <id@domain>, got " + Untrusted.quote(value));
        }
        return id;
    }

    static String newMessageId(SecureRandom random, String fromAddress) {
        byte[] b = new byte[18];
        random.nextBytes(b);
        return "<" + Base64Url.encode(b) + "@" + Addresses.domainOf(fromAddress) + ">";
    }

    static String date(ZonedDateTime when) {
        return DATE.format(when);
    }

    /** Appends one header field; a long value is folded at whitespace it already contains. */
    MailWriter header(String name, String value) {
        String line = name + ": " + value;
        if (line.length() <= FOLD_AT + 2) {
            sb.append(line).append("\r\n");
            return this;
        }
        int lineStart = 0;
        int lastSpace = -1;
        StringBuilder folded = new StringBuilder(line.length() + 8);
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == ' ' && i > name.length() + 1) {
                lastSpace = i;
            }
            if (i - lineStart >= FOLD_AT && lastSpace > lineStart) {
                folded.append(line, lineStart, lastSpace).append("\r\n");
                lineStart = lastSpace;
                lastSpace = -1;
            }
        }
        folded.append(line, lineStart, line.length()).append("\r\n");
        sb.append(folded);
        return this;
    }

    /** Ends the header and appends the body with every line ending turned into CRLF. */
    byte[] body(String text) {
        sb.append("\r\n");
        String normalised = text.replace("\r\n", "\n").replace('\r', '\n').replace("\n", "\r\n");
        if (!normalised.endsWith("\r\n")) {
            normalised += "\r\n";
        }
        for (int i = 0; i < normalised.length(); i++) {
            char c = normalised.charAt(i);
            if (c > 0x7e || (c < 0x20 && c != '\r' && c != '\n' && c != '\t')) {
                throw new IllegalArgumentException("body must be printable US-ASCII (7bit)");
            }
        }
        for (String line : normalised.split("\r\n")) {
            if (line.length() > 998) {
                throw new IllegalArgumentException("body line longer than 998 characters (RFC 5322 §2.1.1)");
            }
        }
        sb.append(normalised);
        return sb.toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** Splits a long token over several lines at {@code width} characters; whitespace in it is ignored (C5). */
    static String spaced(String token, int width) {
        if (token.length() <= width) {
            return token;
        }
        StringBuilder out = new StringBuilder(token.length() + token.length() / width + 1);
        for (int i = 0; i < token.length(); i += width) {
            if (i > 0) {
                out.append(' ');
            }
            out.append(token, i, Math.min(token.length(), i + width));
        }
        return out.toString();
    }
}
