package dev.acmesmime.dkim;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

import org.apache.james.jdkim.api.Headers;

/**
 * A message split into raw header fields and body, with line endings made CRLF, as DKIM
 * canonicalisation expects (RFC 6376 §3.4).
 * <p>
 * Parsed here rather than by mime4j so that the field text handed to jDKIM is byte-for-byte the
 * field as received (folding included) and so that parsing cost is linear in the input.
 * Field text is decoded with the platform charset because jDKIM 0.3 re-encodes it with
 * {@code String.getBytes()}; with a UTF-8 platform charset (the JDK 18+ default and what James
 * sets) raw UTF-8 headers round-trip exactly.
 */
final class MailBytes implements Headers {

    private final List<String> fields;
    /** Each field's name, lower case, for {@link #getFields(String)}. */
    private final String[] names;
    private final byte[] bytes;
    private final int bodyStart;
    /** The first header line that is not a field, or null: found once, asked once per signature. */
    private final String malformedField;

    private MailBytes(List<String> fields, byte[] bytes, int bodyStart) {
        this.fields = fields;
        this.bytes = bytes;
        this.bodyStart = bodyStart;
        this.names = new String[fields.size()];
        String malformed = null;
        for (int i = 0; i < names.length; i++) {
            names[i] = nameOf(fields.get(i)).toLowerCase(Locale.ROOT);
            if (malformed == null && !isFieldLine(fields.get(i))) {
                malformed = fields.get(i);
            }
        }
        this.malformedField = malformed;
    }

    /**
     * Splits the message: header lines end at CRLF, a line starting with SP or HTAB continues the
     * field before it, the first empty line ends the header (a message starting with one has no
     * header) and the body is everything after it.
     */
    static MailBytes parse(byte[] raw) {
        // one char per octet, only for searching: String.indexOf is vectorised, a byte loop is not
        String view = new String(raw, StandardCharsets.ISO_8859_1);
        byte[] crlf = raw;
        if (hasBareLf(raw, view)) {
            crlf = toCrlf(raw);
            view = new String(crlf, StandardCharsets.ISO_8859_1);
        }
        Charset cs = Charset.defaultCharset();
        List<String> fields = new ArrayList<>();
        int n = crlf.length;
        int bodyStart = n;
        int fieldStart = -1;
        // end of the field's first line: the field is that line alone when it ends there
        int firstLineEnd = -1;
        int lineStart = 0;
        while (lineStart < n) {
            int lineEnd = endOfLine(view, lineStart);
            if (lineEnd == lineStart && lineEnd < n) {
                bodyStart = lineEnd + 2;
                break;
            }
            boolean continuation = crlf[lineStart] == ' ' || crlf[lineStart] == '\t';
            if (!(continuation && fieldStart >= 0)) {
                if (fieldStart >= 0) {
                    fields.add(field(crlf, view, fieldStart, lineStart - 2, firstLineEnd, cs));
                }
                fieldStart = lineStart;
                firstLineEnd = lineEnd;
            }
            lineStart = lineEnd + 2;
        }
        if (fieldStart >= 0) {
            fields.add(field(crlf, view, fieldStart, Math.min(lineStart, n + 2) - 2, firstLineEnd, cs));
        }
        bodyStart = Math.min(bodyStart, n);
        if (n > bodyStart && crlf[n - 1] == '\r') {
            crlf = completeLastLine(crlf);
        }
        return new MailBytes(Collections.unmodifiableList(fields), crlf, bodyStart);
    }

    /**
     * {@code raw}, whose body ends with a bare CR, with CRLF added. RFC 6376 §3.4.3 and §3.4.4 read that CR
     * as content of an unterminated last line, to which canonicalisation adds CRLF; jDKIM 0.3 drops it
     * instead, so without this a signature over "…\r\n" also verified "…\r" and "…\r\n\r", which dkimpy
     * (and the RFC) reject. Found by the fuzzing campaign's dkimpy oracle (issue 14 §4).
     */
    private static byte[] completeLastLine(byte[] raw) {
        byte[] out = Arrays.copyOf(raw, raw.length + 2);
        out[raw.length] = '\r';
        out[raw.length + 1] = '\n';
        return out;
    }

    /**
     * Index of the CRLF ending the line that starts at {@code from}, or the length when none does.
     * {@code view} has no bare LF and {@code from} starts a line, so the first LF from there ends it.
     */
    private static int endOfLine(String view, int from) {
        int lf = view.indexOf('\n', from);
        return lf < 0 ? view.length() : lf - 1;
    }

    /**
     * The field text from {@code start} to {@code end} (its last line's end), folding kept. Each
     * line is decoded on its own, so a multi-byte sequence cut by a line break decodes as it did
     * when lines were read one by one.
     */
    private static String field(byte[] b, String view, int start, int end, int firstLineEnd, Charset cs) {
        if (firstLineEnd >= end) {
            return new String(b, start, end - start, cs);
        }
        StringBuilder sb = new StringBuilder(end - start);
        int lineStart = start;
        while (true) {
            int lineEnd = Math.min(endOfLine(view, lineStart), end);
            sb.append(new String(b, lineStart, lineEnd - lineStart, cs));
            if (lineEnd >= end) {
                return sb.toString();
            }
            sb.append("\r\n");
            lineStart = lineEnd + 2;
        }
    }

    /**
     * The field's name: the text before the colon, trailing WSP (SP, HTAB) removed as RFC 6376 §3.4.2 says.
     * Only WSP: {@code String.stripTrailing} would also take U+001C to U+001F away and so make
     * a field named "Subject" followed by U+001C a Subject field, which dkimpy does not count as one (D21).
     */
    static String nameOf(String field) {
        int colon = field.indexOf(':');
        if (colon < 0) {
            return "";
        }
        int end = colon;
        while (end > 0 && isWsp(field.charAt(end - 1))) {
            end--;
        }
        return field.substring(0, end);
    }

    /**
     * The first header line, in order, that is not a field as RFC 5322 §2.2 and §3.6.8 write one (a name
     * of printable US-ASCII other than colon, then a colon, no WSP between), or null. dkimpy cannot read
     * such a header at all while jDKIM reads around it, so what the signature covers would depend on the
     * verifier: a mail with one is not verified (D21). Real signers and CAs never write one.
     */
    String malformedField() {
        return malformedField;
    }

    private static boolean isFieldLine(String f) {
        int colon = f.indexOf(':');
        for (int i = 0; i < colon; i++) {
            char c = f.charAt(i);
            if (c <= 0x20 || c >= 0x7f) {
                return false;
            }
        }
        return colon > 0;
    }

    /**
     * The control character (below U+0020, other than HTAB) that begins or ends the field's value once WSP
     * and folding are set aside, or -1. Relaxed header canonicalisation removes only WSP there (RFC 6376
     * §3.4.2), but jDKIM 0.3 applies {@code String.trim()}, which removes every character up to U+0020: with
     * such a character the two hash different text, so jDKIM could verify a field the signer never signed
     * (D21). Found by the fuzzing campaign's dkimpy oracle.
     */
    static int controlAtEnds(String field) {
        String v = valueOf(field);
        int start = 0;
        while (start < v.length() && (isWsp(v.charAt(start)) || isFold(v, start))) {
            start += v.charAt(start) == '\r' ? 2 : 1;
        }
        int end = v.length();
        while (end > start && (isWsp(v.charAt(end - 1)) || (end >= 2 && isFold(v, end - 2)))) {
            end -= isWsp(v.charAt(end - 1)) ? 1 : 2;
        }
        if (start == end) {
            return -1;
        }
        if (v.charAt(start) < 0x20) {
            return v.charAt(start);
        }
        return v.charAt(end - 1) < 0x20 ? v.charAt(end - 1) : -1;
    }

    private static boolean isWsp(char c) {
        return c == ' ' || c == '\t';
    }

    private static boolean isFold(String v, int i) {
        return v.charAt(i) == '\r' && i + 1 < v.length() && v.charAt(i + 1) == '\n';
    }

    /** The field's value: everything after the first colon, folding kept. */
    static String valueOf(String field) {
        int colon = field.indexOf(':');
        return colon < 0 ? "" : field.substring(colon + 1);
    }

    @Override
    public List<String> getFields() {
        return fields;
    }

    /** The fields with this name (compared in lower case), in order; jDKIM asks once per h= name. */
    @Override
    public List<String> getFields(String name) {
        String wanted = name.toLowerCase(Locale.ROOT);
        String first = null;
        List<String> all = null;
        for (int i = 0; i < names.length; i++) {
            if (names[i].equals(wanted)) {
                if (first == null) {
                    first = fields.get(i);
                } else {
                    if (all == null) {
                        all = new ArrayList<>();
                        all.add(first);
                    }
                    all.add(fields.get(i));
                }
            }
        }
        return all != null ? Collections.unmodifiableList(all) : first != null ? List.of(first) : List.of();
    }

    /** The body, CRLF line endings. */
    InputStream body() {
        return new ByteArrayInputStream(bytes, bodyStart, bytes.length - bodyStart);
    }

    /** Writes the body, CRLF line endings, to {@code out} in one call. */
    void writeBody(OutputStream out) throws IOException {
        out.write(bytes, bodyStart, bytes.length - bodyStart);
    }

    static boolean usesCrlf(byte[] raw) {
        for (int i = 0; i < raw.length; i++) {
            if (raw[i] == '\n') {
                return i > 0 && raw[i - 1] == '\r';
            }
        }
        return true;
    }

    /** Whether an LF in {@code raw} ({@code view} is its one-char-per-octet copy) lacks its CR. */
    private static boolean hasBareLf(byte[] raw, String view) {
        for (int i = view.indexOf('\n'); i >= 0; i = view.indexOf('\n', i + 1)) {
            if (i == 0 || raw[i - 1] != '\r') {
                return true;
            }
        }
        return false;
    }

    /**
     * {@code raw} with every bare LF made CRLF. Only for mails that have one: SMTP delivers CRLF,
     * and then {@code raw} itself is used, since it is only read while one mail is verified.
     */
    private static byte[] toCrlf(byte[] raw) {
        int bare = 0;
        for (int i = 0; i < raw.length; i++) {
            if (raw[i] == '\n' && (i == 0 || raw[i - 1] != '\r')) {
                bare++;
            }
        }
        byte[] out = new byte[raw.length + bare];
        int o = 0;
        for (int i = 0; i < raw.length; i++) {
            byte b = raw[i];
            if (b == '\n' && (i == 0 || raw[i - 1] != '\r')) {
                out[o++] = '\r';
            }
            out[o++] = b;
        }
        return out;
    }
}
