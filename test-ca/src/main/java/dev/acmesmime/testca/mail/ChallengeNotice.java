package dev.acmesmime.testca.mail;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.acmesmime.json.RecordJson;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;

/**
 * Tells the CA-role James about a challenge the test CA sends itself: {@code POST
 * <notify.webadminUrl>/acme-smime/challenges} with {@code messageId}, {@code tokenPart1},
 * {@code recipient}, {@code responseAddress} and {@code createdAt} (conf/ca/README.md), so that James
 * correlates, time-limits and forwards the responses. 201 ({@code registered}) and 200
 * ({@code already-registered}) are success; anything else is an {@link IOException} quoting the answer.
 */
final class ChallengeNotice {
    static final String PATH = "/acme-smime/challenges";
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final int MAX_QUOTED = 300;

    private final URI endpoint;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

    ChallengeNotice(String webadminUrl) {
        String base = webadminUrl.endsWith("/") ? webadminUrl.substring(0, webadminUrl.length() - 1) : webadminUrl;
        this.endpoint = URI.create(base + PATH);
    }

    URI endpoint() {
        return endpoint;
    }

    /** Registers the challenge; blocks until James has answered. */
    void register(String messageId, String tokenPart1, String recipient, String responseAddress, Instant createdAt)
            throws IOException {
        ObjectNode n = RecordJson.object();
        n.put("messageId", messageId);
        n.put("tokenPart1", tokenPart1);
        n.put("recipient", recipient);
        n.put("responseAddress", responseAddress);
        n.put("createdAt", createdAt.toString());
        HttpRequest request = HttpRequest.newBuilder(endpoint).timeout(TIMEOUT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(RecordJson.bytes(n))).build();
        HttpResponse<String> answer;
        try {
            answer = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while telling " + endpoint + " about challenge " + messageId, e);
        }
        if (answer.statusCode() != 201 && answer.statusCode() != 200) {
            String body = answer.body();
            throw new IOException("POST " + endpoint + " answered HTTP " + answer.statusCode() + ": "
                    + (body.length() > MAX_QUOTED ? body.substring(0, MAX_QUOTED) + "…" : body));
        }
    }
}
