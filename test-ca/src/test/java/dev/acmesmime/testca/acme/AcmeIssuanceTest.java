package dev.acmesmime.testca.acme;

import static dev.acmesmime.testca.acme.AcmeHttp.json;
import static dev.acmesmime.testca.acme.AcmeHttp.problem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.acmesmime.ca.forward.Hmac;
import dev.acmesmime.rfc8823.JwkThumbprint;
import dev.acmesmime.rfc8823.KeyAuthorization;
import dev.acmesmime.store.SecretBytes;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.KeyPair;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.jose4j.jwk.PublicJsonWebKey;
import org.junit.jupiter.api.Test;

/**
 * One certificate's life on the in-process server : order, the challenge
 * POST, the CA-role James's result over the native contract (HMAC-signed), finalize, download, ARI, the
 * management port, revocation by the certificate's key.
 */
class AcmeIssuanceTest extends InProcessCa {

    private HttpResponse<String> result(String tokenPart1, String digest, String secret) throws Exception {
        ObjectNode n = AcmeHttp.JSON.createObjectNode();
        n.put("version", 1).put("id", "r-" + tokenPart1).put("event", "response-authenticated")
                .put("method", "SBR 3.2.2.4 v1.0.10");
        n.putObject("identifier").put("type", "email").put("value", "carol@example.org");
        n.put("from", "carol@example.org").put("tokenPart1", tokenPart1).put("digest", digest);
        byte[] body = n.toString().getBytes(StandardCharsets.UTF_8);
        long ts = Instant.now().getEpochSecond();
        HttpRequest r = HttpRequest.newBuilder(server.resultUrl()).header("Content-Type", "application/json")
                .header(Hmac.KEY_ID_HEADER, "ca-james-1").header(Hmac.TIMESTAMP_HEADER, Long.toString(ts))
                .header(Hmac.SIGNATURE_HEADER, Hmac.nativeSignature(SecretBytes.of(secret.getBytes(
                        StandardCharsets.UTF_8)), ts, body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        return client.http.send(r, HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> management(String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.management() + path));
        return client.http.send(body == null ? b.GET().build() : b.POST(HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aValidatedOrderIsIssuedDownloadedRenewedAndRevoked() throws Exception {
        newAccount();
        HttpResponse<String> created = client.post(client.url("newOrder"),
                "{\"identifiers\":[{\"type\":\"email\",\"value\":\"carol@example.org\"}]}");
        JsonNode order = json(created);
        String orderUrl = created.headers().firstValue("Location").orElseThrow();
        JsonNode challenge = json(client.post(order.path("authorizations").get(0).asText(), ""))
                .path("challenges").get(0);
        await().atMost(Duration.ofSeconds(5)).until(() -> MAILED.containsKey("carol@example.org"));
        String part1 = MAILED.get("carol@example.org");
        String digest = KeyAuthorization.digest(part1, challenge.path("token").asText(),
                JwkThumbprint.of(client.key.getPublicKey()));

        assertThat(result(part1, digest, "not-the-shared-secret").statusCode()).isEqualTo(401);
        assertThat(json(result(part1, digest, HMAC_KEY)).path("outcome").asText()).isEqualTo("waiting-for-post");
        assertThat(json(client.post(challenge.path("url").asText(), "{}")).path("status").asText()).isEqualTo("valid");
        assertThat(json(client.post(orderUrl, "")).path("status").asText()).isEqualTo("ready");

        KeyPair certKey = EmailCsr.p256();
        HttpResponse<String> extra = client.post(order.path("finalize").asText(), "{\"csr\":\""
                + EmailCsr.of(certKey, "carol@example.org", "mallory@example.org") + "\"}");
        assertThat(problem(extra)).isEqualTo("badCSR");
        HttpResponse<String> finalized = client.post(order.path("finalize").asText(), "{\"csr\":\""
                + EmailCsr.of(certKey, "carol@example.org") + "\"}");
        assertThat(finalized.statusCode()).isEqualTo(200);
        assertThat(json(finalized).path("status").asText()).isEqualTo("valid");

        HttpResponse<String> pem = client.post(json(finalized).path("certificate").asText(), "");
        assertThat(pem.headers().firstValue("Content-Type")).contains("application/pem-certificate-chain");
        List<X509Certificate> chain = chain(pem.body());
        assertThat(chain).hasSize(2);
        X509Certificate leaf = chain.get(0);
        assertThat(leaf.getPublicKey()).isEqualTo(certKey.getPublic());

        String certId = EmailCsr.ariCertId(leaf);
        JsonNode window = renewalInfo(certId);
        Instant start = Instant.parse(window.path("start").asText());
        assertThat(start).isAfter(leaf.getNotBefore().toInstant()).isBefore(leaf.getNotAfter().toInstant());

        String serial = leaf.getSerialNumber().toString(16);
        assertThat(json(management("/cert-status-by-serial/" + serial, null)).path("status").asText())
                .isEqualTo("valid");
        assertThat(management("/set-renewal-info/", "{\"certID\":\"" + certId + "\",\"start\":\"2020-01-01T00:00:00Z\","
                + "\"end\":\"2020-01-02T00:00:00Z\"}").statusCode()).isEqualTo(200);
        assertThat(renewalInfo(certId).path("start").asText()).isEqualTo("2020-01-01T00:00:00Z");
        assertThat(management("/roots/0", null).body()).isEqualTo(Files.readString(server.rootPem()));
        assertThat(json(management("/stats", null)).path("certificates").asInt()).isPositive();

        revoke(leaf, certKey);
        assertThat(json(management("/cert-status-by-serial/" + serial, null)).path("status").asText())
                .isEqualTo("revoked");
    }

    private JsonNode renewalInfo(String certId) throws Exception {
        HttpResponse<String> r = client.get(client.url("renewalInfo") + "/" + certId);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Retry-After")).isPresent();
        return json(r).path("suggestedWindow");
    }

    /** revokeCert signed with the certificate's own key (jwk), then again: alreadyRevoked. */
    private void revoke(X509Certificate leaf, KeyPair certKey) throws Exception {
        PublicJsonWebKey jwk = PublicJsonWebKey.Factory.newPublicJwk(certKey.getPublic());
        jwk.setPrivateKey(certKey.getPrivate());
        String payload = "{\"certificate\":\"" + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(leaf.getEncoded()) + "\",\"reason\":4}";
        String url = client.url("revokeCert");
        HttpResponse<String> first = client.raw(url, Jws.sign(jwk, "ES256", null, client.nonce, url, payload),
                "application/jose+json");
        assertThat(first.statusCode()).isEqualTo(200);
        HttpResponse<String> again = client.post(url, payload);
        assertThat(problem(again)).isEqualTo("alreadyRevoked");
    }

    private static List<X509Certificate> chain(String pem) throws Exception {
        return CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(
                pem.getBytes(StandardCharsets.US_ASCII))).stream().map(c -> (X509Certificate) c).toList();
    }
}
