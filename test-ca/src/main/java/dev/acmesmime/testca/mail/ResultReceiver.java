package dev.acmesmime.testca.mail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.acmesmime.ca.forward.ForwardPayloads;
import dev.acmesmime.ca.forward.Hmac;
import dev.acmesmime.ca.forward.NativeSignatureVerifier;
import dev.acmesmime.json.RecordJson;
import dev.acmesmime.rfc8823.Addresses;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /acme/mail-result}: a result from the CA-role James's forwarder in the native contract
 * (core {@code native-contract.schema.json}). The HMAC and replay window are checked with core's
 * {@code NativeSignatureVerifier}; the digest is recomputed from this CA's own token parts and the
 * account key's thumbprint ({@link EmailReplyValidation}), never taken on trust.
 * <p>
 * Answers, each with a JSON body {@code {"outcome","detail"}}:
 * <ul>
 *   <li>401 {@code unauthorized}: a missing, unknown, stale, wrong or replayed signature (the detail
 *       names which, e.g. {@code bad-signature}, {@code replayed});</li>
 *   <li>400 {@code malformed}: not JSON, or not a {@code response-authenticated} event for an
 *       {@code email} identifier with {@code id}, {@code from}, {@code tokenPart1} and {@code digest};</li>
 *   <li>200 with the validation's outcome ({@link ResultOutcome}); also 200 {@code unknown-challenge}
 *       for a token-part1 this CA has no challenge for and {@code wrong-identifier} when the event's
 *       identifier is not the challenge's: the forwarder retries anything but a 2xx until the
 *       challenge's validity ends, and retrying these cannot succeed.</li>
 * </ul>
 * A delivery repeated under the same {@code id} gets the same outcome and changes nothing.
 */
public final class ResultReceiver {
    private static final Logger LOG = LoggerFactory.getLogger(ResultReceiver.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The HTTP answer: status and a JSON body {@code {"outcome","detail"}}. */
    public record Answer(int status, String json) {
    }

    private final NativeSignatureVerifier verifier;
    private final Function<String, Optional<EmailReplyValidation>> byTokenPart1;

    /**
     * @param verifier     checks X-Acme-Smime-Key-Id/-Timestamp/-Signature
     * @param byTokenPart1 the pending validations, by token-part1
     */
    public ResultReceiver(NativeSignatureVerifier verifier,
                          Function<String, Optional<EmailReplyValidation>> byTokenPart1) {
        this.verifier = Objects.requireNonNull(verifier, "verifier");
        this.byTokenPart1 = Objects.requireNonNull(byTokenPart1, "byTokenPart1");
    }

    /** @param headers request headers, names in lower case (other cases are found too) */
    public Answer receive(Map<String, String> headers, byte[] body) {
        NativeSignatureVerifier.Result auth = verifier.verify(header(headers, Hmac.KEY_ID_HEADER),
                header(headers, Hmac.TIMESTAMP_HEADER), header(headers, Hmac.SIGNATURE_HEADER), body);
        if (auth != NativeSignatureVerifier.Result.OK) {
            String why = auth.name().toLowerCase(Locale.ROOT).replace('_', '-');
            LOG.info("mail-result refused: signature {}", why);
            return answer(401, new ResultOutcome("unauthorized", "native contract signature: " + why));
        }
        Event event;
        try {
            event = Event.parse(body);
        } catch (IllegalArgumentException e) {
            LOG.info("mail-result malformed: {}", e.getMessage());
            return answer(400, new ResultOutcome("malformed", e.getMessage()));
        }
        ResultOutcome outcome = decide(event);
        LOG.info("mail-result id={} identifier={} tokenPart1={} outcome={}", event.id(), event.identifier(),
                event.tokenPart1(), outcome.outcome());
        return answer(200, outcome);
    }

    private ResultOutcome decide(Event event) {
        Optional<EmailReplyValidation> found = byTokenPart1.apply(event.tokenPart1());
        if (found.isEmpty()) {
            return new ResultOutcome("unknown-challenge", "no challenge of this CA has that token-part1");
        }
        EmailReplyValidation validation = found.get();
        if (!Addresses.sameMailbox(event.identifier(), validation.identifier())) {
            return new ResultOutcome("wrong-identifier", "the challenge with that token-part1 validates another "
                    + "identifier");
        }
        return validation.result(event.id(), event.from(), event.digest());
    }

    /** Any case is accepted: the JDK's HttpServer, for one, hands names over as {@code X-acme-smime-key-id}. */
    private static String header(Map<String, String> headers, String name) {
        String exact = headers.get(name.toLowerCase(Locale.ROOT));
        if (exact != null) {
            return exact;
        }
        for (Map.Entry<String, String> e : headers.entrySet()) {
            if (name.equalsIgnoreCase(e.getKey())) {
                return e.getValue();
            }
        }
        return null;
    }

    private static Answer answer(int status, ResultOutcome outcome) {
        ObjectNode n = RecordJson.object();
        n.put("outcome", outcome.outcome());
        n.put("detail", outcome.detail());
        return new Answer(status, new String(RecordJson.bytes(n), StandardCharsets.UTF_8));
    }

    /** The fields of a native-contract event this CA decides on; the rest is evidence it does not need. */
    private record Event(String id, String identifier, String from, String tokenPart1, String digest) {
        static Event parse(byte[] body) {
            JsonNode n;
            try {
                n = JSON.readTree(body);
            } catch (IOException e) {
                throw new IllegalArgumentException("the body is not JSON");
            }
            if (n == null || !n.isObject()) {
                throw new IllegalArgumentException("the body is not a JSON object");
            }
            if (!ForwardPayloads.NATIVE_EVENT.equals(n.path("event").asText(null))) {
                throw new IllegalArgumentException("event must be " + ForwardPayloads.NATIVE_EVENT);
            }
            if (!"email".equals(n.path("identifier").path("type").asText(null))) {
                throw new IllegalArgumentException("identifier.type must be email");
            }
            return new Event(text(n, "id", "id"), text(n.path("identifier"), "value", "identifier.value"),
                    text(n, "from", "from"), text(n, "tokenPart1", "tokenPart1"), text(n, "digest", "digest"));
        }

        private static String text(JsonNode n, String field, String path) {
            JsonNode v = n.get(field);
            if (v == null || !v.isTextual() || v.asText().isEmpty()) {
                throw new IllegalArgumentException(path + " must be a non-empty string");
            }
            return v.asText();
        }
    }
}
