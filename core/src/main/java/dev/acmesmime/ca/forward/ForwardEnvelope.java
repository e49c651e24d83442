package dev.acmesmime.ca.forward;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One forward as kept in the outbox: the request body and its non-secret headers, built when the
 * response is validated, plus what the worker needs to decide and to record. Secrets (HMAC keys,
 * bearer tokens) are never stored here; they are added at send time from the {@link ForwardTarget},
 * and so is the native contract's timestamp, so each attempt is signed afresh.
 *
 * @param contract    the contract the body follows
 * @param id          the validation's id (idempotency key)
 * @param contentType the body's media type
 * @param body        the request body
 * @param headers     extra non-secret headers (the raw bridge's envelope headers)
 * @param expiresAt   when the challenge's validity ends: no delivery after it (B7, outcome {@code expired})
 * @param address     the identifier, for audit records
 * @param token       token-part1, for audit records
 * @param messageId   the response's Message-ID, for audit records
 * @param receivedAt  when the response was received and validated, for the forward latency
 *                    ({@code acme-smime.ca.forward.latency}); absent in items queued before it was kept
 */
public record ForwardEnvelope(ForwardContract contract, String id, String contentType, byte[] body,
                              Map<String, String> headers, Instant expiresAt, String address, String token,
                              String messageId, Instant receivedAt) {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int VERSION = 1;

    public ForwardEnvelope {
        Objects.requireNonNull(contract, "contract");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(contentType, "contentType");
        body = body.clone();
        headers = Map.copyOf(headers);
        Objects.requireNonNull(expiresAt, "expiresAt");
    }

    @Override
    public byte[] body() {
        return body.clone();
    }

    /** The bytes stored in the outbox. */
    public byte[] toBytes() {
        ObjectNode n = JSON.createObjectNode();
        n.put("version", VERSION);
        n.put("contract", contract.option());
        n.put("id", id);
        n.put("contentType", contentType);
        n.put("body", Base64.getEncoder().encodeToString(body));
        ObjectNode h = n.putObject("headers");
        new TreeMap<>(headers).forEach(h::put);
        n.put("expiresAt", expiresAt.toString());
        n.put("address", address);
        n.put("token", token);
        n.put("messageId", messageId);
        if (receivedAt != null) {
            n.put("receivedAt", receivedAt.toString());
        }
        try {
            return JSON.writeValueAsBytes(n);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Reads what {@link #toBytes()} wrote.
     *
     * @throws IllegalArgumentException when the bytes are not an envelope of a known version
     */
    public static ForwardEnvelope fromBytes(byte[] bytes) {
        JsonNode n;
        try {
            n = JSON.readTree(bytes);
        } catch (IOException e) {
            throw new IllegalArgumentException("not a forward envelope: " + e.getMessage(), e);
        }
        if (n == null || n.path("version").asInt() != VERSION) {
            throw new IllegalArgumentException("not a forward envelope of version " + VERSION);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = n.path("headers").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            headers.put(e.getKey(), e.getValue().asText());
        }
        return new ForwardEnvelope(ForwardContract.fromOption(n.path("contract").asText()), n.path("id").asText(),
                n.path("contentType").asText(), Base64.getDecoder().decode(n.path("body").asText()), headers,
                Instant.parse(n.path("expiresAt").asText()), text(n, "address"), text(n, "token"), text(n, "messageId"),
                n.hasNonNull("receivedAt") ? Instant.parse(n.get("receivedAt").asText()) : null);
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
