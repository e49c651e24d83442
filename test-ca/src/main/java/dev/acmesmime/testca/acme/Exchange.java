package dev.acmesmime.testca.acme;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * One HTTP request and its answer, on top of the JDK's {@link HttpExchange}: the body read with a size
 * limit, JSON, PEM and problem answers, and the headers ACME puts on them (Location, Link, Retry-After).
 */
public final class Exchange {
    /** Larger bodies are refused: an ACME request is a few kilobytes, a CSR included. */
    static final int MAX_BODY = 256 * 1024;

    private final HttpExchange http;
    private final String tail;
    private byte[] body;

    Exchange(HttpExchange http, String tail) {
        this.http = http;
        this.tail = tail;
    }

    public String method() {
        return http.getRequestMethod();
    }

    /** The request path (raw). */
    public String path() {
        return http.getRequestURI().getRawPath();
    }

    /** What follows the route's prefix, e.g. the id of {@code /acme/order/<id>}. */
    public String tail() {
        return tail;
    }

    public String header(String name) {
        return http.getRequestHeaders().getFirst(name);
    }

    /** Request headers, names in lower case (first value of each). */
    public Map<String, String> headers() {
        Map<String, String> h = new TreeMap<>();
        http.getRequestHeaders().forEach((k, v) -> h.put(k.toLowerCase(Locale.ROOT), v.isEmpty() ? "" : v.get(0)));
        return h;
    }

    /** The body, at most {@value #MAX_BODY} bytes (else malformed). */
    public byte[] body() {
        if (body == null) {
            try (InputStream in = http.getRequestBody()) {
                byte[] b = in.readNBytes(MAX_BODY + 1);
                if (b.length > MAX_BODY) {
                    throw Problem.of(ProblemType.MALFORMED, "the request body is larger than " + MAX_BODY
                            + " bytes").exception();
                }
                body = b;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return body;
    }

    public Exchange header(String name, String value) {
        http.getResponseHeaders().add(name, value);
        return this;
    }

    /** {@code Link: <url>;rel="relation"} (RFC 8288), as ACME uses it (RFC 8555 §7.1). */
    public Exchange link(String url, String relation) {
        return header("Link", "<" + url + ">;rel=\"" + relation + "\"");
    }

    public Exchange location(String url) {
        return header("Location", url);
    }

    /** RFC 8555 §7.4, §8.2: when to poll again, in whole seconds (at least 1). */
    public Exchange retryAfter(Duration d) {
        long seconds = Math.max(1, (d.toMillis() + 999) / 1000);
        return header("Retry-After", Long.toString(seconds));
    }

    public void json(int status, JsonNode json) {
        send(status, "application/json", json.toString().getBytes(StandardCharsets.UTF_8));
    }

    public void problem(Problem problem) {
        problem.retryAfter().ifPresent(this::retryAfter);
        send(problem.status(), Problem.CONTENT_TYPE, problem.json());
    }

    /** An answer without body (HEAD, 204, the 200 of a HEAD newNonce). */
    public void empty(int status) {
        try {
            http.sendResponseHeaders(status, -1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            http.close();
        }
    }

    public void send(int status, String contentType, byte[] content) {
        http.getResponseHeaders().set("Content-Type", contentType);
        try (OutputStream out = http.getResponseBody()) {
            boolean head = "HEAD".equals(method());
            http.sendResponseHeaders(status, head ? -1 : content.length);
            if (!head) {
                out.write(content);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            http.close();
        }
    }
}
