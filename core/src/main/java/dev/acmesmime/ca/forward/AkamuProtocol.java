package dev.acmesmime.ca.forward;

import java.time.Instant;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.acmesmime.json.RecordJson;

/**
 * Akāmu's {@code /acme/email-webhook}: JSON {@code {from, in_reply_to, dkim_domain, dkim_status, body}},
 * {@code X-Akamu-Signature: sha256=<hex HMAC-SHA256 of the body>}. Akāmu answers without an outcome.
 */
final class AkamuProtocol implements ForwardProtocol {

    @Override
    public String contentType() {
        return "application/json";
    }

    /**
     * {@code body} carries the validated response block in its canonical form (RFC 8823 §3.2)
     * rather than the MIME body, so Akāmu reads the digest without decoding transfer encodings;
     * {@code dkim_status} is always {@code pass}, since only authentic responses are forwarded.
     */
    @Override
    public byte[] body(ValidatedResponse r) {
        ObjectNode n = RecordJson.object();
        n.put("from", r.from());
        // Akāmu correlates by In-Reply-To alone: give it the challenge we correlated, whichever key agreed.
        n.put("in_reply_to", r.challenge().messageId());
        n.put("dkim_domain", r.dkim().domain());
        n.put("dkim_status", "pass");
        n.put("body", "-----BEGIN ACME RESPONSE-----\r\n" + r.digest() + "\r\n-----END ACME RESPONSE-----\r\n");
        return RecordJson.bytes(n);
    }

    @Override
    public Map<String, String> authentication(ForwardTarget target, byte[] body, Instant now) {
        return Map.of(Hmac.AKAMU_HEADER, Hmac.akamuSignature(target.secret(), body));
    }

    @Override
    public DeliveryAttempt answer(int status, String answer) {
        return DeliveryAttempt.withoutOutcome(status);
    }
}
