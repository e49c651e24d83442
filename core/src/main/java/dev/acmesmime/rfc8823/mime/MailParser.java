package dev.acmesmime.rfc8823.mime;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Locale;

import org.apache.james.mime4j.MimeException;
import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.stream.BodyDescriptor;
import org.apache.james.mime4j.stream.EntityState;
import org.apache.james.mime4j.stream.Field;
import org.apache.james.mime4j.stream.MimeConfig;
import org.apache.james.mime4j.stream.MimeTokenStream;
import org.apache.james.mime4j.stream.RecursionMode;
import org.apache.james.mime4j.util.ByteArrayBuffer;
import org.apache.james.mime4j.util.ByteSequence;

import dev.acmesmime.rfc8823.Untrusted;

/**
 * Reads raw message bytes with mime4j's pull parser ({@link MimeTokenStream}) under fixed limits,
 * keeping only what the RFC 8823 rules need. Embedded message/rfc822 parts are not entered.
 * <p>
 * Every limit violation and every parser error becomes a {@link MalformedMailException} with a
 * one-line reason; nothing else escapes. Internal to the engine, not API.
 */
public final class MailParser {

    /** Largest message accepted, in bytes (RFC 8823 mails are a few kilobytes; S/MIME adds some). */
    public static final int MAX_MESSAGE_BYTES = 4 * 1024 * 1024;
    /** Most header fields in one header section (top level or part). */
    public static final int MAX_HEADER_FIELDS = 500;
    /** Longest single header field including its folded continuation lines, in bytes. */
    public static final int MAX_HEADER_FIELD_BYTES = 32 * 1024;
    /** Longest physical line, in bytes (RFC 5322 §2.1.1 allows 998; MUAs send longer HTML lines). */
    public static final int MAX_LINE_BYTES = 64 * 1024;
    /** Deepest multipart nesting (top level is depth 1). */
    public static final int MAX_NESTING_DEPTH = 20;
    /** Most body parts in the whole message. */
    public static final int MAX_PARTS = 500;

    private static final MimeConfig CONFIG = MimeConfig.custom()
            .setMaxHeaderCount(MAX_HEADER_FIELDS)
            .setMaxHeaderLen(MAX_HEADER_FIELD_BYTES)
            .setMaxLineLen(MAX_LINE_BYTES)
            .setMaxContentLen(MAX_MESSAGE_BYTES)
            .setMalformedHeaderStartsBody(false)
            .setStrictParsing(false)
            .build();

    private MailParser() {
    }

    /**
     * Parses the message.
     *
     * @throws MalformedMailException when the bytes are empty, exceed a limit, have no header
     *                                fields or a header line that is no field
     */
    public static ParsedMail parse(byte[] raw) throws MalformedMailException {
        if (raw == null || raw.length == 0) {
            throw new MalformedMailException("empty input");
        }
        if (raw.length > MAX_MESSAGE_BYTES) {
            throw new MalformedMailException("message of " + raw.length + " bytes exceeds the limit of "
                    + MAX_MESSAGE_BYTES + " bytes");
        }
        try {
            return read(raw);
        } catch (MimeException | IOException e) {
            throw new MalformedMailException("unparseable MIME: " + describe(e));
        } catch (RuntimeException e) {
            // mime4j's lenient decoders can still trip on hostile bytes; that is bad mail, not a bug of ours
            throw new MalformedMailException("unparseable MIME: " + describe(e));
        }
    }

    private static ParsedMail read(byte[] raw) throws MimeException, IOException, MalformedMailException {
        RecordingMonitor monitor = new RecordingMonitor();
        MimeTokenStream stream = new MimeTokenStream(CONFIG, monitor, null);
        stream.setRecursionMode(RecursionMode.M_NO_RECURSE);
        stream.parse(new ByteArrayInputStream(raw));

        List<HeaderField> headers = new ArrayList<>();
        List<TextPart> texts = new ArrayList<>();
        List<String> leafTypes = new ArrayList<>();
        // media type of each open entity, outermost first (null until its header ended)
        Deque<String> open = new ArrayDeque<>();
        String topType = null;
        int parts = 0;

        for (EntityState state = stream.getState(); state != EntityState.T_END_OF_STREAM; state = stream.next()) {
            switch (state) {
                case T_START_MESSAGE, T_START_BODYPART -> {
                    if (state == EntityState.T_START_BODYPART && ++parts > MAX_PARTS) {
                        throw new MalformedMailException("more than " + MAX_PARTS + " body parts");
                    }
                    open.addLast("");
                    if (open.size() > MAX_NESTING_DEPTH) {
                        throw new MalformedMailException("MIME nesting deeper than " + MAX_NESTING_DEPTH + " levels");
                    }
                }
                case T_FIELD -> {
                    if (open.size() == 1) {
                        headers.add(toHeader(stream.getField()));
                    }
                }
                case T_END_HEADER -> {
                    if (open.size() == 1 && headers.isEmpty()) {
                        throw new MalformedMailException("no header fields");
                    }
                    if (open.size() == 1 && monitor.invalidHeader != null) {
                        throw new MalformedMailException("header line is not a field: " + Untrusted.quote(monitor.invalidHeader));
                    }
                }
                case T_START_MULTIPART, T_BODY -> {
                    BodyDescriptor bd = stream.getBodyDescriptor();
                    String type = bd.getMimeType() == null ? "text/plain" : bd.getMimeType().toLowerCase(Locale.ROOT);
                    open.removeLast();
                    open.addLast(type);
                    if (open.size() == 1) {
                        topType = type;
                    }
                    if (state == EntityState.T_BODY) {
                        leafTypes.add(type);
                        if (type.equals("text/plain") && eligible(open)) {
                            texts.add(new TextPart(readAll(stream.getDecodedInputStream()), open.size() == 2));
                        }
                    }
                }
                case T_END_BODYPART, T_END_MESSAGE -> open.pollLast();
                default -> {
                    // preamble, epilogue, multipart ends: nothing the rules look at
                }
            }
        }
        if (headers.isEmpty()) {
            throw new MalformedMailException("no header fields");
        }
        return new ParsedMail(headers, topType == null ? "text/plain" : topType, texts, leafTypes);
    }

    /** R8: the message body itself, or a direct child of a top-level multipart/alternative. */
    private static boolean eligible(Deque<String> open) {
        if (open.size() == 1) {
            return true;
        }
        return open.size() == 2 && "multipart/alternative".equals(open.peekFirst());
    }

    private static HeaderField toHeader(Field field) {
        ByteSequence rawField = field.getRaw();
        String text;
        if (rawField != null) {
            byte[] bytes;
            int length;
            if (rawField instanceof ByteArrayBuffer buffer) {
                bytes = buffer.buffer();
                length = buffer.length();
            } else {
                bytes = rawField.toByteArray();
                length = bytes.length;
            }
            int colon = indexOf(bytes, length, (byte) ':');
            if (colon >= 0) {
                // RFC 6532 allows UTF-8 in header fields; mime4j's own string view is ASCII-only.
                // Only the body is decoded, from its first octet that is not ASCII white space:
                // a colon and ASCII white space decode as themselves wherever they stand, and
                // unfold strips that white space anyway.
                int start = colon + 1;
                while (start < length && bytes[start] >= 0 && Character.isWhitespace(bytes[start])) {
                    start++;
                }
                text = new String(bytes, start, length - start, StandardCharsets.UTF_8);
            } else {
                text = field.getBody();
            }
        } else {
            text = field.getBody() == null ? "" : field.getBody();
        }
        return new HeaderField(field.getName().trim(), unfold(text));
    }

    private static int indexOf(byte[] bytes, int length, byte b) {
        for (int i = 0; i < length; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return -1;
    }

    /** RFC 5322 §2.2.3 unfolding; lenient on bare CR or LF (X12). */
    static String unfold(String value) {
        // indexOf, not a char loop: it is vectorised, and header text is kilobytes per mail
        int cr = value.indexOf('\r');
        int lf = value.indexOf('\n');
        if (cr < 0 && lf < 0) {
            return value.strip();
        }
        StringBuilder sb = new StringBuilder(value.length());
        int run = 0;
        while (cr >= 0 || lf >= 0) {
            int brk = cr < 0 ? lf : lf < 0 ? cr : Math.min(cr, lf);
            sb.append(value, run, brk);
            run = brk + 1;
            if (brk == cr) {
                cr = value.indexOf('\r', run);
            } else {
                lf = value.indexOf('\n', run);
            }
        }
        sb.append(value, run, value.length());
        return sb.toString().strip();
    }

    private static String readAll(InputStream in) throws IOException {
        byte[] buf = new byte[2048];
        int length = 0;
        int n;
        while ((n = in.read(buf, length, buf.length - length)) >= 0) {
            length += n;
            if (length > MAX_MESSAGE_BYTES) {
                throw new IOException("decoded part larger than " + MAX_MESSAGE_BYTES + " bytes");
            }
            if (length == buf.length) {
                buf = Arrays.copyOf(buf, buf.length * 2);
            }
        }
        return new String(buf, 0, length, StandardCharsets.ISO_8859_1);
    }

    private static String describe(Exception e) {
        String msg = e.getMessage();
        return e.getClass().getSimpleName() + (msg == null ? "" : " " + Untrusted.quote(msg));
    }

    /** Remembers the first "invalid header" warning so a garbage header section reads as malformed. */
    private static final class RecordingMonitor extends DecodeMonitor {
        private String invalidHeader;

        @Override
        public boolean warn(String error, String dummy) {
            if (invalidHeader == null && error != null && error.toLowerCase(Locale.ROOT).contains("invalid header")) {
                invalidHeader = error;
            }
            return false;
        }

        @Override
        public boolean isListening() {
            return true;
        }
    }
}
