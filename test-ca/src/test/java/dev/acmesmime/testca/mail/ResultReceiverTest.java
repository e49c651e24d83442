package dev.acmesmime.testca.mail;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.acmesmime.ca.forward.Hmac;
import dev.acmesmime.ca.forward.NativeSignatureVerifier;
import dev.acmesmime.rfc8823.KeyAuthorization;
import dev.acmesmime.store.SecretBytes;
import dev.acmesmime.testca.mail.EmailReplyValidation.Status;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ResultReceiverTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ID = "alice@example.org";
    private static final String THUMBPRINT = "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs";
    private static final String KEY_ID = "ca-james-1";

    private final SecureRandom random = new SecureRandom();
    private final SecretBytes key = SecretBytes.of(random.generateSeed(32));
    private final String t1 = ChallengeTokens.tokenPart1(random, false);
    private final String t2 = ChallengeTokens.tokenPart2(random);
    private final EmailReplyValidation validation = new EmailReplyValidation(ID, t1, t2, THUMBPRINT,
            Instant.now().plus(Duration.ofHours(1)), Duration.ZERO, Clock.systemUTC());
    private final ResultReceiver receiver = new ResultReceiver(
            NativeSignatureVerifier.builder().key(KEY_ID, key).build(),
            t -> t.equals(t1) ? Optional.of(validation) : Optional.empty());

    private byte[] event(String id, String tokenPart1, String digest) {
        ObjectNode n = JSON.createObjectNode();
        n.put("version", 1).put("id", id).put("event", "response-authenticated").put("method", "SBR 3.2.2.4 v1.0.10");
        n.putObject("identifier").put("type", "email").put("value", ID);
        n.put("from", ID).put("tokenPart1", tokenPart1).put("digest", digest);
        return n.toString().getBytes(StandardCharsets.UTF_8);
    }

    private Map<String, String> signed(SecretBytes with, byte[] body) {
        long ts = Instant.now().getEpochSecond();
        return Map.of(lower(Hmac.KEY_ID_HEADER), KEY_ID, lower(Hmac.TIMESTAMP_HEADER), Long.toString(ts),
                lower(Hmac.SIGNATURE_HEADER), Hmac.nativeSignature(with, ts, body));
    }

    private static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }

    private static String outcome(ResultReceiver.Answer a) throws Exception {
        JsonNode n = JSON.readTree(a.json());
        assertThat(n.path("detail").isTextual()).isTrue();
        return n.path("outcome").asText();
    }

    private String good() {
        return KeyAuthorization.digest(t1, t2, THUMBPRINT);
    }

    @Test
    void anAuthenticCorrectResultMakesAPostedChallengeValid() throws Exception {
        validation.clientPosted();
        byte[] body = event("r-1", t1, good());
        ResultReceiver.Answer a = receiver.receive(signed(key, body), body);
        assertThat(a.status()).isEqualTo(200);
        assertThat(outcome(a)).isEqualTo("valid");
        assertThat(validation.status()).isEqualTo(Status.VALID);
    }

    @Test
    void headerNamesInAnyCaseAreFound() throws Exception {
        byte[] body = event("r-1", t1, good());
        long ts = Instant.now().getEpochSecond();
        Map<String, String> headers = Map.of("X-acme-smime-key-id", KEY_ID, "X-ACME-SMIME-TIMESTAMP", Long.toString(ts),
                Hmac.SIGNATURE_HEADER, Hmac.nativeSignature(key, ts, body));
        assertThat(receiver.receive(headers, body).status()).isEqualTo(200);
    }

    @Test
    void aBadHmacIsRefusedAndChangesNothing() throws Exception {
        byte[] body = event("r-1", t1, good());
        SecretBytes other = SecretBytes.of(random.generateSeed(32));
        ResultReceiver.Answer a = receiver.receive(signed(other, body), body);
        assertThat(a.status()).isEqualTo(401);
        assertThat(outcome(a)).isEqualTo("unauthorized");
        assertThat(a.json()).contains("bad-signature");
        assertThat(receiver.receive(Map.of(), body).status()).isEqualTo(401);
        assertThat(validation.status()).isEqualTo(Status.PENDING);
    }

    @Test
    void aReplayedRequestIsRefused() throws Exception {
        byte[] body = event("r-1", t1, good());
        Map<String, String> headers = signed(key, body);
        assertThat(receiver.receive(headers, body).status()).isEqualTo(200);
        ResultReceiver.Answer replay = receiver.receive(headers, body);
        assertThat(replay.status()).isEqualTo(401);
        assertThat(replay.json()).contains("replayed");
    }

    @Test
    void aRetriedDeliveryWithTheSameIdGetsTheSameOutcome() throws Exception {
        byte[] body = event("r-1", t1, "wrongwrongwrongwrongwrongwrongwrongwrongwro");
        ResultReceiver.Answer first = receiver.receive(signed(key, body), body);
        assertThat(outcome(first)).isEqualTo("invalid");
        // a retry is signed afresh: another timestamp, so another signature
        Thread.sleep(1_100);
        ResultReceiver.Answer again = receiver.receive(signed(key, body), body);
        assertThat(again).isEqualTo(first);
        assertThat(validation.status()).isEqualTo(Status.INVALID);
    }

    @Test
    void malformedBodiesAreAnswered400() throws Exception {
        for (String bad : new String[] {"{not json", "[]", "{\"event\":\"other\"}",
                new String(event("r-1", t1, good()), StandardCharsets.UTF_8).replace("\"email\"", "\"dns\""),
                new String(event("r-1", t1, good()), StandardCharsets.UTF_8).replace("\"digest\"", "\"x\"")}) {
            byte[] body = bad.getBytes(StandardCharsets.UTF_8);
            ResultReceiver.Answer a = receiver.receive(signed(key, body), body);
            assertThat(a.status()).as(bad).isEqualTo(400);
            assertThat(outcome(a)).isEqualTo("malformed");
        }
        assertThat(validation.status()).isEqualTo(Status.PENDING);
    }

    @Test
    void anUnknownTokenPart1IsAFinalAnswerSoTheForwarderStops() throws Exception {
        byte[] body = event("r-1", ChallengeTokens.tokenPart1(random, false), good());
        ResultReceiver.Answer a = receiver.receive(signed(key, body), body);
        assertThat(a.status()).isEqualTo(200);
        assertThat(outcome(a)).isEqualTo("unknown-challenge");
    }

    @Test
    void anotherIdentifierIsRefusedWithoutAStateChange() throws Exception {
        byte[] body = new String(event("r-1", t1, good()), StandardCharsets.UTF_8)
                .replace("\"value\":\"" + ID, "\"value\":\"bob@example.org").getBytes(StandardCharsets.UTF_8);
        ResultReceiver.Answer a = receiver.receive(signed(key, body), body);
        assertThat(outcome(a)).isEqualTo("wrong-identifier");
        assertThat(validation.status()).isEqualTo(Status.PENDING);
    }
}
