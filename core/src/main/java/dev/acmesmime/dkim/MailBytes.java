package dev.acmesmime.dkim;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

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
    private final Map<String, List<String>> byName = new HashMap<>();
    private final byte[] body;

    private MailBytes(List<String> fields, byte[] body) {
        this.fields = fields;
        this.body = body;
        // indexed once: jDKIM asks for each h= name, so a per-call scan would cost |h=| x |fields|
        for (String f : fields) {
            byName.computeIfAbsent(nameOf(f).toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(f);
        }
    }

    static MailBytes parse(byte[] raw) {
        byte[] crlf = toCrlf(raw);
        int headerLimit;
        int bodyStart;
        if (crlf.length >= 2 && crlf[0] == '\r' && crlf[1] == '\n') {
            headerLimit = 0;
            bodyStart = 2;
        } else {
            int blank = indexOf(crlf, CRLFCRLF, 0, crlf.length);
            headerLimit = blank < 0 ? crlf.length : blank;
            bodyStart = blank < 0 ? crlf.length : blank + 4;
        }
        Charset cs = Charset.defaultCharset();
        List<String> fields = new ArrayList<>();
        StringBuilder current = null;
        int lineStart = 0;
        while (lineStart < headerLimit) {
            int lineEnd = indexOf(crlf, CRLF, lineStart, headerLimit);
            if (lineEnd < 0) {
                lineEnd = headerLimit;
            }
            String line = new String(crlf, lineStart, lineEnd - lineStart, cs);
            boolean continuation = !line.isEmpty() && (line.charAt(0) == ' ' || line.charAt(0) == '\t');
            if (continuation && current != null) {
                current.append("\r\n").append(line);
            } else {
                if (current != null) {
                    fields.add(current.toString());
                }
                current = new StringBuilder(line);
            }
            lineStart = lineEnd + 2;
        }
        if (current != null) {
            fields.add(current.toString());
        }
        return new MailBytes(Collections.unmodifiableList(fields), Arrays.copyOfRange(crlf, bodyStart, crlf.length));
    }

    /** The field's name: the text before the colon, trailing white space removed. */
    static String nameOf(String field) {
        int colon = field.indexOf(':');
        return colon < 0 ? "" : field.substring(0, colon).stripTrailing();
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

    @Override
    public List<String> getFields(String name) {
        return List.copyOf(byName.getOrDefault(name.toLowerCase(Locale.ROOT), List.of()));
    }

    InputStream body() {
        return new ByteArrayInputStream(body);
    }

    byte[] bodyBytes() {
        return body;
    }

    static boolean usesCrlf(byte[] raw) {
        for (int i = 0; i < raw.length; i++) {
            if (raw[i] == '\n') {
                return i > 0 && raw[i - 1] == '\r';
            }
        }
        return true;
    }

    /**
     * {@code raw} with every bare LF made CRLF; {@code raw} itself when it has none (the usual
     * case: SMTP delivers CRLF), since it is only read while one mail is verified.
     */
    private static byte[] toCrlf(byte[] raw) {
        int bare = 0;
        for (int i = 0; i < raw.length; i++) {
            if (raw[i] == '\n' && (i == 0 || raw[i - 1] != '\r')) {
                bare++;
            }
        }
        if (bare == 0) {
            return raw;
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

    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] CRLFCRLF = {'\r', '\n', '\r', '\n'};

    /** First index of {@code what} starting in [from, limit) and lying wholly below limit, or -1. */
    private static int indexOf(byte[] b, byte[] what, int from, int limit) {
        outer:
        for (int i = from; i + what.length <= limit; i++) {
            for (int k = 0; k < what.length; k++) {
                if (b[i + k] != what[k]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
