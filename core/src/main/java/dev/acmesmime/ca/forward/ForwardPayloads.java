package dev.acmesmime.ca.forward;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.acmesmime.rfc8823.Check;

/**
 * Builds the request of each {@link ForwardContract} for a {@link ValidatedResponse}. One place per
 * contract's body; authentication headers are added by {@link ForwardClient} at send time.
 */
public final class ForwardPayloads {
    /** Schema of the native body, on the class path beside this class. */
    public static final String NATIVE_SCHEMA = "/dev/acmesmime/ca/forward/native-contract.schema.json";
    /** Version of the native body; changes only when a field changes meaning or goes away. */
    public static final int NATIVE_VERSION = 1;
    /** Native contract: the response is authentic and correlated; the ACME server decides. */
    public static final String NATIVE_EVENT = "response-authenticated";
    public static final String ENVELOPE_FROM_HEADER = "X-Envelope-From";
    public static final String REMOTE_ADDRESS_HEADER = "X-Remote-Address";

    private static final ObjectMapper JSON = new ObjectMapper();

    private ForwardPayloads() {
    }

    /** The envelope the outbox keeps for {@code r} under {@code contract}. */
    public static ForwardEnvelope envelope(ForwardContract contract, ValidatedResponse r) {
        String messageId = r.responseMessageId().orElse(null);
        return switch (contract) {
            case NATIVE -> new ForwardEnvelope(contract, r.id(), "application/json", nativeBody(r), Map.of(),
                    r.expiresAt(), r.identifier(), r.tokenPart1(), messageId);
            case AKAMU -> new ForwardEnvelope(contract, r.id(), "application/json", akamuBody(r), Map.of(),
                    r.expiresAt(), r.identifier(), r.tokenPart1(), messageId);
            case RAW_BRIDGE -> new ForwardEnvelope(contract, r.id(), "message/rfc822", r.raw(),
                    Map.of(ENVELOPE_FROM_HEADER, r.envelopeFrom(), REMOTE_ADDRESS_HEADER, r.remoteAddress()),
                    r.expiresAt(), r.identifier(), r.tokenPart1(), messageId);
        };
    }

    /** The native body ({@value #NATIVE_SCHEMA}). */
    static byte[] nativeBody(ValidatedResponse r) {
        ObjectNode n = JSON.createObjectNode();
        n.put("version", NATIVE_VERSION);
        n.put("id", r.id());
        n.put("event", NATIVE_EVENT);
        n.put("method", ValidatedResponse.METHOD);
        ObjectNode identifier = n.putObject("identifier");
        identifier.put("type", "email");
        identifier.put("value", r.identifier());
        n.put("from", r.from());
        n.put("tokenPart1", r.tokenPart1());
        n.put("digest", r.digest());
        ObjectNode challenge = n.putObject("challenge");
        challenge.put("messageId", r.challengeMessageId());
        challenge.put("createdAt", r.challengeCreatedAt().toString());
        challenge.put("expiresAt", r.expiresAt().toString());
        ArrayNode keys = n.putArray("correlation");
        for (CorrelationKey k : CorrelationKey.values()) {
            if (r.correlation().contains(k)) {
                keys.add(k.code());
            }
        }
        ObjectNode response = n.putObject("response");
        r.responseMessageId().ifPresent(v -> response.put("messageId", v));
        r.inReplyTo().ifPresent(v -> response.put("inReplyTo", v));
        response.put("receivedAt", r.receivedAt().toString());
        response.put("envelopeFrom", r.envelopeFrom());
        response.put("remoteAddress", r.remoteAddress());
        ObjectNode dkim = n.putObject("dkim");
        dkim.put("domain", r.dkim().domain());
        dkim.put("selector", r.dkim().selector());
        dkim.put("algorithm", r.dkim().algorithm());
        dkim.put("keyBits", r.dkim().keyBits());
        ArrayNode h = dkim.putArray("signedFields");
        r.dkim().signedFields().forEach(h::add);
        ArrayNode checks = n.putArray("checks");
        for (Check c : r.checks()) {
            ObjectNode o = checks.addObject();
            o.put("code", c.code().code());
            o.put("ok", c.ok());
            o.put("detail", c.detail());
        }
        return write(n);
    }

    /**
     * Akāmu's body. {@code body} carries the validated response block in its canonical form
     * (RFC 8823 §3.2) rather than the MIME body, so Akāmu reads the digest without decoding
     * transfer encodings; {@code dkim_status} is always {@code pass}, since only authentic
     * responses are forwarded.
     */
    static byte[] akamuBody(ValidatedResponse r) {
        ObjectNode n = JSON.createObjectNode();
        n.put("from", r.from());
        // Akāmu correlates by In-Reply-To alone: give it the challenge we correlated, whichever key agreed.
        n.put("in_reply_to", r.challengeMessageId());
        n.put("dkim_domain", r.dkim().domain());
        n.put("dkim_status", "pass");
        n.put("body", "-----BEGIN ACME RESPONSE-----\r\n" + r.digest() + "\r\n-----END ACME RESPONSE-----\r\n");
        return write(n);
    }

    private static byte[] write(ObjectNode n) {
        try {
            return JSON.writeValueAsBytes(n);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
