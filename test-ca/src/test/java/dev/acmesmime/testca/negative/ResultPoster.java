package dev.acmesmime.testca.negative;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.acmesmime.ca.forward.ForwardPayloads;
import dev.acmesmime.ca.forward.Hmac;
import dev.acmesmime.ca.forward.ValidatedResponse;
import dev.acmesmime.rfc8823.KeyAuthorization;
import dev.acmesmime.store.SecretBytes;

/**
 * Plays the CA-role James's forwarder: POSTs a native-contract result ({@value ForwardPayloads#NATIVE_SCHEMA})
 * to the test CA's result URL, signed with core {@link Hmac} under the key it was given (right or wrong).
 */
public final class ResultPoster {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private final URI url;
    private final String keyId;
    private final byte[] key;

    ResultPoster(URI url, String keyId, byte[] key) {
        this.url = url;
        this.keyId = keyId;
        this.key = key.clone();
    }

    /** The answer: HTTP status and the {@code {"outcome","detail"}} body. */
    public record Answer(int status, JsonNode body) {
        public String outcome() {
            return body.path("outcome").asText("");
        }
    }

    /** The correct response's result for a challenge: digest from core {@link KeyAuthorization}. */
    public Answer correct(ChallengeMailSeen mail, String tokenPart2, Account account) {
        return post(mail, KeyAuthorization.digest(mail.tokenPart1(), tokenPart2, account.thumbprint()));
    }

    /** A result whose digest is authentic but wrong (another key authorization). */
    public Answer wrong(ChallengeMailSeen mail, String tokenPart2) {
        return post(mail, KeyAuthorization.digest(mail.tokenPart1(), tokenPart2, "not-the-account-thumbprint"));
    }

    /** A result carrying {@code digest}, as the CA-role James would forward it. */
    public Answer post(ChallengeMailSeen mail, String digest) {
        return signed(body(mail, digest), Instant.now().getEpochSecond());
    }

    /** POSTs {@code body} signed with {@code ts} as its timestamp: a replay, or a stale or future one. */
    public Answer signed(byte[] body, long ts) {
        HttpRequest request = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json")
                .header(Hmac.KEY_ID_HEADER, keyId)
                .header(Hmac.TIMESTAMP_HEADER, Long.toString(ts))
                .header(Hmac.SIGNATURE_HEADER, Hmac.nativeSignature(SecretBytes.of(key), ts, body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        try {
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
            JsonNode answer = r.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(r.body());
            return new Answer(r.statusCode(), answer);
        } catch (IOException e) {
            throw new UncheckedIOException("POST " + url, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A body valid against the native contract's schema. */
    public static byte[] body(ChallengeMailSeen mail, String digest) {
        Instant now = Instant.now();
        ObjectNode n = JSON.createObjectNode();
        n.put("version", ForwardPayloads.NATIVE_VERSION);
        n.put("id", UUID.randomUUID().toString());
        n.put("event", ForwardPayloads.NATIVE_EVENT);
        n.put("method", ValidatedResponse.METHOD);
        n.putObject("identifier").put("type", "email").put("value", mail.recipient());
        n.put("from", mail.recipient());
        n.put("tokenPart1", mail.tokenPart1());
        n.put("digest", digest);
        n.putObject("challenge").put("messageId", mail.messageId()).put("createdAt", now.minusSeconds(5).toString())
                .put("expiresAt", now.plusSeconds(3600).toString());
        n.putArray("correlation").add("subject-token");
        n.putObject("response").put("messageId", "<reply-" + UUID.randomUUID() + "@org.test>")
                .put("inReplyTo", mail.messageId()).put("receivedAt", now.toString())
                .put("envelopeFrom", mail.recipient()).put("remoteAddress", "127.0.0.1");
        ObjectNode dkim = n.putObject("dkim").put("domain", domain(mail.recipient())).put("selector", "s1")
                .put("algorithm", "rsa-sha256").put("keyBits", 2048);
        dkim.putArray("signedFields").add("from").add("to").add("subject").add("date").add("message-id");
        n.putArray("checks");
        try {
            return JSON.writeValueAsBytes(n);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String domain(String address) {
        return address.substring(address.indexOf('@') + 1);
    }
}
