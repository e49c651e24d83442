package dev.acmesmime.testca.acme;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.jose4j.jwk.PublicJsonWebKey;

/**
 * A minimal ACME client over java.net.http for the in-process tests: it keeps the last Replay-Nonce, and signs
 * each POST with jose4j ({@link Jws}), with the account's {@code kid} once it has one.
 */
final class AcmeHttp {
    static final ObjectMapper JSON = new ObjectMapper();

    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    final JsonNode directory;
    final PublicJsonWebKey key;
    String kid;
    String nonce;

    AcmeHttp(URI directoryUrl, PublicJsonWebKey key) throws Exception {
        this.key = key;
        this.directory = JSON.readTree(get(directoryUrl.toString()).body());
    }

    String url(String name) {
        return directory.path(name).asText();
    }

    HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return remember(http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
                HttpResponse.BodyHandlers.ofString()));
    }

    HttpResponse<String> head(String url) throws IOException, InterruptedException {
        return remember(http.send(HttpRequest.newBuilder(URI.create(url)).method("HEAD",
                HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString()));
    }

    /** A signed POST: with the jwk until the account exists, then with its kid. */
    HttpResponse<String> post(String url, String payload) throws Exception {
        if (nonce == null) {
            head(url("newNonce"));
        }
        String alg = key.getKeyType().equals("RSA") ? "RS256" : "ES256";
        return raw(url, Jws.sign(key, alg, kid, nonce, url, payload), "application/jose+json");
    }

    HttpResponse<String> raw(String url, byte[] body, String contentType) throws IOException, InterruptedException {
        HttpRequest r = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        return remember(http.send(r, HttpResponse.BodyHandlers.ofString()));
    }

    HttpResponse<byte[]> raw(HttpRequest r) throws IOException, InterruptedException {
        return http.send(r, HttpResponse.BodyHandlers.ofByteArray());
    }

    private <T> HttpResponse<T> remember(HttpResponse<T> r) {
        r.headers().firstValue("Replay-Nonce").ifPresent(n -> nonce = n);
        return r;
    }

    static JsonNode json(HttpResponse<String> r) throws IOException {
        return JSON.readTree(r.body());
    }

    /** The ACME error type of a problem answer, without the {@code urn:ietf:params:acme:error:} prefix. */
    static String problem(HttpResponse<String> r) throws IOException {
        return json(r).path("type").asText().replace("urn:ietf:params:acme:error:", "");
    }
}
