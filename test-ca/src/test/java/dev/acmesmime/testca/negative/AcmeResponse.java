package dev.acmesmime.testca.negative;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;

/**
 * One answer of the server, as received: status, headers and body, with the RFC 7807 problem fields and
 * the RFC 8555 headers at hand.
 */
public record AcmeResponse(URI request, int status, HttpHeaders headers, String body) {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** RFC 8555 §6.7: every ACME problem type starts with this. */
    public static final String ERROR_PREFIX = "urn:ietf:params:acme:error:";

    /** The body as JSON; a missing node when it is not JSON. */
    public JsonNode json() {
        try {
            JsonNode n = JSON.readTree(body);
            return n == null ? MissingNode.getInstance() : n;
        } catch (IOException e) {
            return MissingNode.getInstance();
        }
    }

    /** The problem document's {@code type}, empty when there is none. */
    public String problemType() {
        return json().path("type").asText("");
    }

    public Optional<String> header(String name) {
        return headers.firstValue(name);
    }

    /** The media type without parameters. */
    public String contentType() {
        return header("Content-Type").map(v -> v.split(";")[0].trim()).orElse("");
    }

    public Optional<String> location() {
        return header("Location");
    }

    public Optional<String> replayNonce() {
        return header("Replay-Nonce");
    }

    @Override
    public String toString() {
        return "HTTP " + status + " from " + request + " " + contentType() + ": " + body;
    }
}
