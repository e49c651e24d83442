package dev.acmesmime.ca.forward;

import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.acmesmime.json.RecordJson;
import dev.acmesmime.rfc8823.Untrusted;

/**
 * This plugin's own contract: JSON described by {@value ForwardPayloads#NATIVE_SCHEMA}, signed
 * with HMAC-SHA256 over timestamp and body under a key id ({@link Hmac}), answered with an
 * explicit {@code outcome}.
 */
final class NativeProtocol implements ForwardProtocol {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern OUTCOME = Pattern.compile("[a-z0-9-]{1,64}");

    @Override
    public String contentType() {
        return "application/json";
    }

    @Override
    public byte[] body(ValidatedResponse r) {
        ObjectNode n = RecordJson.object();
        n.put("version", ForwardPayloads.NATIVE_VERSION);
        n.put("id", r.id());
        n.put("event", ForwardPayloads.NATIVE_EVENT);
        n.put("method", ValidatedResponse.METHOD);
        ObjectNode identifier = n.putObject("identifier");
        identifier.put("type", "email");
        identifier.put("value", r.identifier());
        n.put("from", r.from());
        n.put("tokenPart1", r.tokenPart1());
        n.put("digest", r.digest());
        ObjectNode challenge = n.putObject("challenge");
        challenge.put("messageId", r.challenge().messageId());
        challenge.put("createdAt", r.challenge().createdAt().toString());
        challenge.put("expiresAt", r.challenge().expiresAt().toString());
        ArrayNode keys = n.putArray("correlation");
        for (CorrelationKey k : CorrelationKey.values()) {
            if (r.correlation().contains(k)) {
                keys.add(k.code());
            }
        }
        ObjectNode response = n.putObject("response");
        ValidatedResponse.Received mail = r.mail();
        mail.messageId().ifPresent(v -> response.put("messageId", v));
        mail.inReplyTo().ifPresent(v -> response.put("inReplyTo", v));
        response.put("receivedAt", r.receivedAt().toString());
        response.put("envelopeFrom", mail.envelopeFrom());
        response.put("remoteAddress", mail.remoteAddress());
        DkimEvidence d = r.dkim();
        RecordJson.signatureFacts(n.putObject("dkim"), d.domain(), d.selector(), d.algorithm(), d.keyBits(),
                d.signedFields());
        RecordJson.checks(n.putArray("checks"), r.checks());
        return RecordJson.bytes(n);
    }

    @Override
    public Map<String, String> authentication(ForwardTarget target, byte[] body, Instant now) {
        long ts = now.getEpochSecond();
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(Hmac.KEY_ID_HEADER, target.keyId());
        headers.put(Hmac.TIMESTAMP_HEADER, Long.toString(ts));
        headers.put(Hmac.SIGNATURE_HEADER, Hmac.nativeSignature(target.secret(), ts, body));
        return headers;
    }

    @Override
    public DeliveryAttempt answer(int status, String answer) {
        try {
            JsonNode n = JSON.readTree(answer);
            String outcome = n == null ? "" : n.path("outcome").asText("");
            if (OUTCOME.matcher(outcome).matches()) {
                String detail = n.path("detail").asText("");
                return new DeliveryAttempt(status, true, outcome, "HTTP " + status
                        + (detail.isEmpty() ? "" : " detail " + Untrusted.quote(detail)));
            }
        } catch (IOException ignored) {
            // fall through: a 2xx without a readable outcome is delivered, and says so
        }
        return new DeliveryAttempt(status, true, "no-outcome", "HTTP " + status + " without a readable outcome"
                + DeliveryAttempt.answerDetail(answer));
    }
}
