package dev.acmesmime.testca.client;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.acmesmime.ca.forward.CorrelationKey;
import dev.acmesmime.ca.forward.DkimEvidence;
import dev.acmesmime.ca.forward.ForwardContract;
import dev.acmesmime.ca.forward.ForwardPayloads;
import dev.acmesmime.ca.forward.Hmac;
import dev.acmesmime.ca.forward.ValidatedResponse;
import dev.acmesmime.rfc8823.Check;
import dev.acmesmime.rfc8823.FailureCode;
import dev.acmesmime.store.SecretBytes;

/**
 * Plays the CA-role James's forwarder: POSTs an authentic response's result to the test CA in the native
 * contract. The body is built by core ({@link ForwardPayloads}, the contract's single home) and signed with
 * {@link Hmac#nativeSignature}, exactly as {@code ForwardClient} does.
 */
public final class CaRoleForwarder {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http;
    private final URI resultUrl;
    private final String keyId;
    private final SecretBytes key;

    public CaRoleForwarder(HttpClient http, URI resultUrl, String keyId, SecretBytes key) {
        this.http = http;
        this.resultUrl = resultUrl;
        this.keyId = keyId;
        this.key = key;
    }

    /** The test CA's answer: HTTP status and the {@code {"outcome","detail"}} body. */
    public record Answer(int status, JsonNode body) {
        public String outcome() {
            return body.path("outcome").asText();
        }
    }

    /** Forwards that {@code challenge}'s response from its addressee carried {@code digest}. */
    public Answer post(ChallengeMails.Received challenge, String digest) {
        ValidatedResponse r = response(challenge, digest);
        byte[] body = ForwardPayloads.envelope(ForwardContract.NATIVE, r).body();
        long ts = Instant.now().getEpochSecond();
        HttpRequest request = HttpRequest.newBuilder(resultUrl).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .header(Hmac.KEY_ID_HEADER, keyId)
                .header(Hmac.TIMESTAMP_HEADER, Long.toString(ts))
                .header(Hmac.SIGNATURE_HEADER, Hmac.nativeSignature(key, ts, body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), JSON.readTree(response.body().isEmpty() ? "{}" : response.body()));
        } catch (IOException e) {
            throw new IllegalStateException("POST " + resultUrl + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static ValidatedResponse response(ChallengeMails.Received challenge, String digest) {
        String address = challenge.envelopeTo();
        String domain = address.substring(address.indexOf('@') + 1);
        String messageId = challenge.messageId().startsWith("<") ? challenge.messageId()
                : "<" + challenge.messageId() + ">";
        String id = UUID.randomUUID().toString();
        String responseId = "<r-" + id + "@" + domain + ">";
        Instant created = challenge.date().orElse(Instant.now());
        byte[] raw = ("From: " + address + "\r\nTo: " + challenge.from() + "\r\nSubject: Re: " + challenge.subject()
                + "\r\nMessage-ID: " + responseId + "\r\nIn-Reply-To: " + messageId + "\r\n\r\n"
                + "-----BEGIN ACME RESPONSE-----\r\n" + digest + "\r\n-----END ACME RESPONSE-----\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        return new ValidatedResponse(id, Instant.now(), address, address, challenge.tokenPart1(), digest,
                new ValidatedResponse.Answered(messageId, created, created.plus(Duration.ofHours(24))),
                Set.of(CorrelationKey.SUBJECT_TOKEN, CorrelationKey.IN_REPLY_TO),
                new DkimEvidence(domain, "sel1", "rsa-sha256", 2048,
                        List.of("from", "to", "subject", "date", "message-id", "in-reply-to")),
                List.of(Check.pass(FailureCode.SUBJECT_SYNTAX, "token-part1 read"),
                        Check.pass(FailureCode.DKIM_INVALID, "signature verified")),
                new ValidatedResponse.Received(Optional.of(responseId), Optional.of(messageId), address,
                        "127.0.0.1", raw));
    }
}
