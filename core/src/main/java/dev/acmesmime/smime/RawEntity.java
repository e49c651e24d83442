package dev.acmesmime.smime;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.apache.james.mime4j.MimeException;
import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.dom.field.ContentTypeField;
import org.apache.james.mime4j.dom.field.ParsedField;
import org.apache.james.mime4j.field.LenientFieldParser;

/**
 * A MIME entity (a message or a body part) read straight from its bytes: the header fields, and
 * where the body starts and ends in the original array.
 * <p>
 * Own code rather than mime4j's DOM because a detached signature covers the <em>exact</em> bytes
 * of the first body part (RFC 8551 §3.5.3), and mime4j's DOM does not keep them. mime4j still
 * parses the structured field values (Content-Type, addresses, encoded words).
 */
public final class RawEntity {

    /**
     * One header field: its name as written and its value unfolded (line breaks removed, whitespace
     * kept); {@code [rawStart, rawEnd)} are its bytes as written, folding included, without the final line end.
     */
    public record Field(String name, String value, int rawStart, int rawEnd) {
    }

    private final byte[] data;
    private final List<Field> fields;
    private final int bodyStart;
    private final int end;

    private RawEntity(byte[] data, List<Field> fields, int bodyStart, int end) {
        this.data = data;
        this.fields = fields;
        this.bodyStart = bodyStart;
        this.end = end;
    }

    public static RawEntity parse(byte[] data) {
        return parse(data, 0, data.length);
    }

    /**
     * Reads the header block of {@code data[start, end)}. The header ends at the first empty line
     * (CRLF or a bare LF, as relays may have rewritten line ends); without one, all is header.
     * Lines without a colon are skipped: they cannot yield a field we would trust.
     */
    public static RawEntity parse(byte[] data, int start, int end) {
        List<Field> fields = new ArrayList<>();
        StringBuilder current = null;
        int currentStart = start;
        int currentEnd = start;
        int pos = start;
        int bodyStart = end;
        while (pos < end) {
            int lineEnd = indexOf(data, (byte) '\n', pos, end);
            int next = lineEnd < 0 ? end : lineEnd + 1;
            int contentEnd = lineEnd < 0 ? end : lineEnd;
            if (contentEnd > pos && data[contentEnd - 1] == '\r') {
                contentEnd--;
            }
            if (contentEnd == pos) {
                bodyStart = next;
                break;
            }
            String line = new String(data, pos, contentEnd - pos, StandardCharsets.UTF_8);
            if ((line.charAt(0) == ' ' || line.charAt(0) == '\t') && current != null) {
                current.append(line);
                currentEnd = contentEnd;
            } else {
                flush(current, currentStart, currentEnd, fields);
                current = line.indexOf(':') > 0 ? new StringBuilder(line) : null;
                currentStart = pos;
                currentEnd = contentEnd;
            }
            pos = next;
        }
        flush(current, currentStart, currentEnd, fields);
        return new RawEntity(data, List.copyOf(fields), Math.min(bodyStart, end), end);
    }

    private static void flush(StringBuilder line, int rawStart, int rawEnd, List<Field> fields) {
        if (line == null) {
            return;
        }
        int colon = line.indexOf(":");
        fields.add(new Field(line.substring(0, colon).trim(), line.substring(colon + 1), rawStart, rawEnd));
    }

    /**
     * The field's bytes as written, folding kept, every line end CRLF (RFC 5322 §2.2.3), with the
     * final CRLF: what a rewritten message carries, so that nothing in a field is re-encoded.
     */
    public byte[] rawField(Field field) {
        byte[] raw = Arrays.copyOfRange(data, field.rawStart(), field.rawEnd());
        byte[] crlf = SmimeStructure.toCrlf(raw);
        byte[] out = Arrays.copyOf(crlf, crlf.length + 2);
        out[crlf.length] = '\r';
        out[crlf.length + 1] = '\n';
        return out;
    }

    public List<Field> fields() {
        return fields;
    }

    /** Every value of the fields named {@code name} (case-insensitive), in order. */
    public List<String> values(String name) {
        List<String> out = new ArrayList<>(1);
        for (Field f : fields) {
            if (f.name().equalsIgnoreCase(name)) {
                out.add(f.value());
            }
        }
        return out;
    }

    /** The parsed Content-Type; RFC 2045 §5.2 defaults to text/plain when it is absent or unparseable. */
    public ContentTypeField contentType() {
        List<String> values = values("Content-Type");
        String value = values.isEmpty() ? "text/plain; charset=us-ascii" : values.get(0);
        try {
            ParsedField parsed = LenientFieldParser.parse("Content-Type: " + value, DecodeMonitor.SILENT);
            if (parsed instanceof ContentTypeField ct && ct.getMimeType() != null) {
                return ct;
            }
        } catch (MimeException | RuntimeException e) {
            // fall through to the RFC 2045 default
        }
        try {
            return (ContentTypeField) LenientFieldParser.parse("Content-Type: text/plain", DecodeMonitor.SILENT);
        } catch (MimeException e) {
            throw new IllegalStateException("mime4j cannot parse a constant Content-Type", e);
        }
    }

    /** The Content-Transfer-Encoding token in lower case, {@code 7bit} when absent. */
    public String transferEncoding() {
        List<String> values = values("Content-Transfer-Encoding");
        return values.isEmpty() ? "7bit" : values.get(0).trim().toLowerCase(Locale.ROOT);
    }

    public int bodyStart() {
        return bodyStart;
    }

    public int end() {
        return end;
    }

    public byte[] data() {
        return data;
    }

    /** The body as transferred (not decoded). */
    public byte[] rawBody() {
        return Arrays.copyOfRange(data, bodyStart, end);
    }

    /** The body after undoing its Content-Transfer-Encoding; empty when the encoding is unknown. */
    public Optional<byte[]> decodedBody() {
        String cte = transferEncoding();
        switch (cte) {
            case "7bit", "8bit", "binary":
                return Optional.of(rawBody());
            case "base64":
                try {
                    return Optional.of(Base64.getMimeDecoder().decode(rawBody()));
                } catch (IllegalArgumentException e) {
                    return Optional.empty();
                }
            default:
                return Optional.empty();
        }
    }

    static int indexOf(byte[] data, byte b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (data[i] == b) {
                return i;
            }
        }
        return -1;
    }
}
