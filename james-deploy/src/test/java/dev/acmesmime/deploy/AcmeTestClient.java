package dev.acmesmime.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import org.jose4j.jwk.EcJwkGenerator;
import org.jose4j.jwk.EllipticCurveJsonWebKey;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.keys.EllipticCurves;
import org.jose4j.lang.JoseException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A small RFC 8555 client for the whole-chain test, independent of acme4j: jose4j signs (ES256,
 * flattened JSON serialization, §6.2), java.net.http sends. It follows the protocol's rules as any
 * client must: a fresh nonce for each request (§6.5), {@code jwk} for newAccount and {@code kid}
 * after (§6.2), the request URL in {@code url}, POST-as-GET (§6.3), one retry on {@code badNonce}.
 */
final class AcmeTestClient {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final String BAD_NONCE = "urn:ietf:params:acme:error:badNonce";

    /** One answer: status, body, and the headers a client reads. */
    record Reply(int status, String body, String location, String contentType) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON (" + status + "): " + body, e);
            }
        }
    }

    private final HttpClient http;
    private final JsonNode directory;
    private final EllipticCurveJsonWebKey key;
    private String nonce;
    private String kid;

    AcmeTestClient(HttpClient http, URI directoryUrl) throws IOException, InterruptedException, JoseException {
        this.http = http;
        HttpResponse<String> dir = http.send(HttpRequest.newBuilder(directoryUrl).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(dir.statusCode()).as(dir.body()).isEqualTo(200);
        this.directory = JSON.readTree(dir.body());
        this.key = EcJwkGenerator.generateJwk(EllipticCurves.P256);
    }

    /** The account key's public JWK, as a user hands it to {@code acme-smime respond --account-jwk}. */
    String publicJwk() {
        return key.toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY);
    }

    /** newAccount with terms agreed; remembers the account URL as {@code kid}. */
    Reply newAccount() throws Exception {
        Reply r = post(directory.path("newAccount").asText(), Map.of("termsOfServiceAgreed", true));
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        assertThat(r.location()).as("account URL").isNotBlank();
        kid = r.location();
        return r;
    }

    /** newOrder for one email identifier. */
    Reply newOrder(String address) throws Exception {
        Reply r = post(directory.path("newOrder").asText(),
                Map.of("identifiers", List.of(Map.of("type", "email", "value", address))));
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r;
    }

    /** POST-as-GET (§6.3). */
    Reply get(String url) throws Exception {
        return post(url, null);
    }

    /** POST-as-GET until {@code done} holds for the resource, failing at once when it turns invalid. */
    JsonNode poll(String url, Predicate<JsonNode> done, Duration within) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        while (true) {
            Reply r = get(url);
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            JsonNode json = r.json();
            if (done.test(json)) {
                return json;
            }
            assertThat(json.path("status").asText()).as("%s: %s", url, r.body()).isNotEqualTo("invalid");
            assertThat(System.nanoTime()).as("%s within %s: %s", url, within, r.body()).isLessThan(deadline);
            Thread.sleep(250);
        }
    }

    /** A signed POST; {@code payload} null for POST-as-GET. One retry when the server says badNonce. */
    Reply post(String url, Object payload) throws Exception {
        Reply r = postOnce(url, payload);
        if (r.status() == 400 && r.body().contains(BAD_NONCE)) {
            r = postOnce(url, payload);
        }
        return r;
    }

    private Reply postOnce(String url, Object payload) throws Exception {
        String body = sign(url, payload == null ? "" : JSON.writeValueAsString(payload));
        HttpResponse<String> res = http.send(HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/jose+json").timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        res.headers().firstValue("Replay-Nonce").ifPresent(n -> nonce = n);
        return new Reply(res.statusCode(), res.body(), res.headers().firstValue("Location").orElse(null),
                res.headers().firstValue("Content-Type").orElse(""));
    }

    /** The flattened JWS JSON serialization (RFC 7515 §7.2.2) of jose4j's compact one. */
    private String sign(String url, String payload) throws Exception {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256);
        jws.getHeaders().setObjectHeaderValue("nonce", freshNonce());
        jws.getHeaders().setObjectHeaderValue("url", url);
        if (kid == null) {
            jws.setJwkHeader(key);
        } else {
            jws.setKeyIdHeaderValue(kid);
        }
        jws.setPayload(payload);
        jws.setKey(key.getPrivateKey());
        String[] parts = jws.getCompactSerialization().split("\\.", -1);
        return JSON.writeValueAsString(Map.of("protected", parts[0], "payload", parts[1], "signature", parts[2]));
    }

    private String freshNonce() throws IOException, InterruptedException {
        if (nonce == null) {
            HttpResponse<Void> res = http.send(HttpRequest.newBuilder(URI.create(directory.path("newNonce").asText()))
                    .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.discarding());
            nonce = res.headers().firstValue("Replay-Nonce")
                    .orElseThrow(() -> new AssertionError("newNonce gave no Replay-Nonce"));
        }
        String n = nonce;
        nonce = null; // good once (§6.5)
        return n;
    }
}
