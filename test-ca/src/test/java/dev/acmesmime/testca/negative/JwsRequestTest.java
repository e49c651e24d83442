package dev.acmesmime.testca.negative;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.security.KeyPair;

import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.lang.JoseException;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The raw client's requests are correct unless a test damages them, so each negative test fails for its one reason. */
class JwsRequestTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final URI URL = URI.create("http://127.0.0.1:1/acme/new-order");

    @Test
    void aDefaultRequestVerifiesAndCarriesTheRfc8555Headers() throws Exception {
        KeyPair key = RawAcmeClient.ec256();
        JsonWebSignature jws = parse(new JwsRequest(URL).kid("http://127.0.0.1:1/acme/acct/1", key).nonce("n1")
                .payload("{\"a\":1}").flattened());
        jws.setKey(key.getPublic());
        assertThat(jws.verifySignature()).isTrue();
        assertThat(jws.getAlgorithmHeaderValue()).isEqualTo("ES256");
        assertThat(jws.getHeader("url")).isEqualTo(URL.toString());
        assertThat(jws.getHeader("nonce")).isEqualTo("n1");
        assertThat(jws.getKeyIdHeaderValue()).isEqualTo("http://127.0.0.1:1/acme/acct/1");
        assertThat(jws.getJwkHeader()).isNull();
        assertThat(jws.getPayload()).isEqualTo("{\"a\":1}");
    }

    @Test
    void aDamagedSignatureNoLongerVerifies() throws Exception {
        KeyPair key = RawAcmeClient.ec256();
        JsonWebSignature jws = parse(new JwsRequest(URL).jwk(key).nonce("n1").damageSignature().flattened());
        jws.setKey(key.getPublic());
        assertThat(jws.verifySignature()).isFalse();
        assertThat(jws.getJwkHeader().getKey()).isEqualTo(key.getPublic());
    }

    @Test
    void postAsGetHasAnEmptyPayload() throws Exception {
        JsonNode body = JSON.readTree(new JwsRequest(URL).jwk(RawAcmeClient.ec256()).asGet().flattened());
        assertThat(body.path("payload").asText()).isEmpty();
        assertThat(body.path("signature").asText()).isNotEmpty();
    }

    private static JsonWebSignature parse(String flattened) throws Exception {
        JsonNode n = JSON.readTree(flattened);
        JsonWebSignature jws = new JsonWebSignature();
        jws.setAlgorithmConstraints(AlgorithmConstraints.NO_CONSTRAINTS);
        try {
            jws.setCompactSerialization(n.path("protected").asText() + "." + n.path("payload").asText() + "."
                    + n.path("signature").asText());
        } catch (JoseException e) {
            throw new AssertionError(e);
        }
        return jws;
    }
}
