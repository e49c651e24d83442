package dev.acmesmime.testca.acme;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/**
 * An RFC 7807 problem document with an ACME type (RFC 8555 §6.7), served as
 * {@value #CONTENT_TYPE}. The detail is one line: line breaks in it are replaced, so a value a client sent
 * cannot forge more text.
 *
 * @param type       the ACME error type and HTTP status
 * @param detail     one line for a person
 * @param retryAfter for {@code rateLimited}: the Retry-After the answer carries
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7807">RFC 7807</a>
 */
public record Problem(ProblemType type, String detail, Optional<Duration> retryAfter) {

    public static final String CONTENT_TYPE = "application/problem+json";
    private static final ObjectMapper JSON = new ObjectMapper();

    public Problem {
        detail = detail == null ? "" : detail.replaceAll("[\\r\\n\\t]+", " ");
    }

    public static Problem of(ProblemType type, String detail) {
        return new Problem(type, detail, Optional.empty());
    }

    /** {@code rateLimited} with the wait the client should honour (RFC 8555 §6.6). */
    public static Problem rateLimited(String detail, Duration retryAfter) {
        return new Problem(ProblemType.RATE_LIMITED, detail, Optional.of(retryAfter));
    }

    /** The HTTP status of the answer. */
    public int status() {
        return type.status();
    }

    /** The exception handlers throw to answer with this problem. */
    public AcmeProblemException exception() {
        return new AcmeProblemException(this);
    }

    /** {@code {"type","detail","status"}}, also the {@code error} member of orders and challenges. */
    public ObjectNode node() {
        ObjectNode o = JSON.createObjectNode();
        o.put("type", type.uri());
        o.put("detail", detail);
        o.put("status", status());
        return o;
    }

    /** {@link #node()} as UTF-8 JSON. */
    public byte[] json() {
        return node().toString().getBytes(StandardCharsets.UTF_8);
    }
}
