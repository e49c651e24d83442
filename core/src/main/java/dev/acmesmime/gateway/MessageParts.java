package dev.acmesmime.gateway;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import dev.acmesmime.smime.RawEntity;
import dev.acmesmime.smime.SmimeStructure;

/**
 * A message cut in two for the S/MIME operations, read with {@link RawEntity} (the project's one
 * MIME reader): the outer fields (From, To, Subject, Received, … everything but the content fields),
 * which stay on the header of the message the operation writes, and the content entity (the
 * {@code Content-*} fields and the body), which is signed or encrypted, or which a decryption yields.
 * Fields are kept byte for byte (folding too), only their line ends made CRLF; {@code MIME-Version}
 * is written once by {@link #rewrite}.
 */
final class MessageParts {

    static final byte[] CRLF = {'\r', '\n'};

    private final RawEntity message;
    private final List<RawEntity.Field> outer = new ArrayList<>();
    private final List<RawEntity.Field> content = new ArrayList<>();

    private MessageParts(RawEntity message) {
        this.message = message;
        for (RawEntity.Field f : message.fields()) {
            String name = f.name().toLowerCase(Locale.ROOT);
            if (name.startsWith("content-")) {
                content.add(f);
            } else if (!name.equals("mime-version")) {
                outer.add(f);
            }
        }
    }

    static MessageParts split(byte[] message) {
        return new MessageParts(RawEntity.parse(message));
    }

    RawEntity message() {
        return message;
    }

    /** The content fields ({@code Content-*}) as written, each ending in CRLF. */
    List<byte[]> contentFields() {
        return content.stream().map(message::rawField).toList();
    }

    /** The raw outer fields named {@code name} (case-insensitive), each ending in CRLF. */
    List<byte[]> outerFields(String name) {
        return outer.stream().filter(f -> f.name().equalsIgnoreCase(name)).map(message::rawField).toList();
    }

    /** The body as transferred, line ends untouched. */
    byte[] body() {
        return message.rawBody();
    }

    /**
     * The new message: the outer fields, {@code MIME-Version: 1.0}, then {@code entity} (its own
     * header fields, the empty line and its body), which replaces the content fields and body.
     */
    byte[] rewrite(byte[] entity) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(entity.length + 4096);
        for (RawEntity.Field f : outer) {
            out.writeBytes(message.rawField(f));
        }
        out.writeBytes(ascii("MIME-Version: 1.0\r\n"));
        out.writeBytes(entity);
        return out.toByteArray();
    }

    /** An entity: {@code fields} (each ending in CRLF), the empty line, then {@code body} with CRLF line ends. */
    static byte[] entity(List<byte[]> fields, byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length + 1024);
        fields.forEach(out::writeBytes);
        out.writeBytes(CRLF);
        out.writeBytes(SmimeStructure.toCrlf(body));
        return out.toByteArray();
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
