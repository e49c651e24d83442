package dev.acmesmime.gateway;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

import org.apache.james.mime4j.codec.QuotedPrintableOutputStream;

import dev.acmesmime.smime.RawEntity;
import dev.acmesmime.smime.SmimeStructure;

/**
 * Makes a content entity 7-bit safe before it is signed (G4, RFC 8551 §3.1.1 and §3.1.2): a relay
 * that downgrades 8bit to 7bit, or rewraps long lines, would otherwise break the signature. A leaf
 * whose body has 8-bit bytes, NULs or lines over 998 octets, or whose transfer encoding is
 * {@code 8bit} or {@code binary}, is re-encoded: {@code text/*} as quoted-printable over CRLF lines,
 * anything else as base64. A multipart is walked part by part (its own encoding must stay 7bit).
 * A {@code message/*} body is left as it is (RFC 2046 §5.2 forbids encoding it), line ends made CRLF.
 */
final class SevenBitContent {

    private static final int MAX_LINE = 998;
    private static final int MAX_DEPTH = 20;

    private SevenBitContent() {
    }

    /** The 7-bit safe entity (header fields, empty line, body) for these content fields and body. */
    static byte[] encode(List<byte[]> fields, byte[] body) {
        return encode(fields, body, 0);
    }

    private static byte[] encode(List<byte[]> fields, byte[] body, int depth) {
        RawEntity header = RawEntity.parse(MessageParts.entity(fields, new byte[0]));
        String type = header.contentType().getMimeType().toLowerCase(Locale.ROOT);
        String cte = header.transferEncoding();
        boolean clean = isSevenBit(body) && !cte.equals("8bit") && !cte.equals("binary");
        if (clean || type.startsWith("message/") || depth > MAX_DEPTH) {
            return MessageParts.entity(fields, body);
        }
        if (type.startsWith("multipart/")) {
            String boundary = header.contentType().getBoundary();
            List<byte[]> kept = without(fields, "content-transfer-encoding");
            return boundary == null ? MessageParts.entity(fields, body)
                    : MessageParts.entity(kept, multipart(SmimeStructure.toCrlf(body), boundary, depth));
        }
        List<byte[]> kept = without(fields, "content-transfer-encoding");
        byte[] decoded = cte.equals("base64") || cte.equals("quoted-printable")
                ? header.decodedBody().orElse(body) : body;
        if (type.startsWith("text/")) {
            kept.add(MessageParts.ascii("Content-Transfer-Encoding: quoted-printable\r\n"));
            return MessageParts.entity(kept, quotedPrintable(SmimeStructure.toCrlf(decoded)));
        }
        kept.add(MessageParts.ascii("Content-Transfer-Encoding: base64\r\n"));
        return MessageParts.entity(kept, Base64.getMimeEncoder(76, MessageParts.CRLF).encode(decoded));
    }

    /** Re-encodes each body part of a multipart body (CRLF already), keeping preamble, delimiters and epilogue. */
    private static byte[] multipart(byte[] body, String boundary, int depth) {
        String dash = "--" + boundary;
        List<String> lines = splitLines(body);
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length + body.length / 3);
        ByteArrayOutputStream part = null;
        for (String line : lines) {
            String trimmed = line.stripTrailing();
            if (trimmed.equals(dash) || trimmed.equals(dash + "--")) {
                if (part != null) {
                    out.writeBytes(part(part.toByteArray(), depth));
                }
                out.writeBytes((line + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                part = trimmed.equals(dash) ? new ByteArrayOutputStream() : null;
            } else if (part != null) {
                part.writeBytes((line + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            } else {
                out.writeBytes((line + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            }
        }
        if (part != null) {
            out.writeBytes(part(part.toByteArray(), depth));
        }
        return out.toByteArray();
    }

    /** One body part with the CRLF before the next delimiter, which belongs to the delimiter (RFC 2046 §5.1.1). */
    private static byte[] part(byte[] bytes, int depth) {
        int end = bytes.length >= 2 ? bytes.length - 2 : bytes.length;
        RawEntity p = RawEntity.parse(bytes, 0, end);
        List<byte[]> fields = p.fields().stream().map(p::rawField).toList();
        byte[] encoded = encode(fields, p.rawBody(), depth + 1);
        ByteArrayOutputStream out = new ByteArrayOutputStream(encoded.length + 2);
        out.writeBytes(encoded);
        out.writeBytes(MessageParts.CRLF);
        return out.toByteArray();
    }

    private static List<String> splitLines(byte[] body) {
        String s = new String(body, StandardCharsets.ISO_8859_1);
        List<String> lines = new ArrayList<>(List.of(s.split("\r\n", -1)));
        if (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
            lines.remove(lines.size() - 1);
        }
        return lines;
    }

    private static List<byte[]> without(List<byte[]> fields, String name) {
        List<byte[]> out = new ArrayList<>();
        for (byte[] f : fields) {
            String line = new String(f, StandardCharsets.ISO_8859_1);
            int colon = line.indexOf(':');
            if (colon < 0 || !line.substring(0, colon).trim().equalsIgnoreCase(name)) {
                out.add(f);
            }
        }
        return out;
    }

    /** No 8-bit byte, no NUL, no bare CR, no line over {@value #MAX_LINE} octets. */
    static boolean isSevenBit(byte[] body) {
        int line = 0;
        for (int i = 0; i < body.length; i++) {
            byte b = body[i];
            if (b < 0 || b == 0 || (b == '\r' && (i + 1 == body.length || body[i + 1] != '\n'))) {
                return false;
            }
            line = b == '\n' ? 0 : line + 1;
            if (line > MAX_LINE) {
                return false;
            }
        }
        return true;
    }

    /** Quoted-printable in text mode: CRLF stays a hard line break, trailing white space is encoded. */
    private static byte[] quotedPrintable(byte[] text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(text.length + text.length / 4);
        try (QuotedPrintableOutputStream qp = new QuotedPrintableOutputStream(out, false)) {
            qp.write(text);
        } catch (IOException e) {
            throw new UncheckedIOException("in-memory streams do not fail", e);
        }
        return out.toByteArray();
    }
}
