package dev.acmesmime.testca.acme;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.acmesmime.testca.acme.JwsVerifier.KeyHeader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Unit tests for {@link JwsVerifier} (RFC 8555 §6.2–§6.5). */
class JwsVerifierTest {
    private static final String URL = "http://127.0.0.1:14000/acme/new-order";
    private static final String KID = "http://127.0.0.1:14000/acme/acct/1";

    private final Nonces nonces = new Nonces(new SecureRandom(), 0, new Random());
    private PublicJsonWebKey key;
    private Account account;
    private JwsVerifier testee;

    @BeforeEach
    void setUp() throws Exception {
        key = Jws.ec256();
        account = new Account("1", URI.create(KID), key, "t", List.of(), Account.Status.VALID, Optional.empty(),
                Instant.now());
        testee = new JwsVerifier(nonces, url -> url.equals(KID) ? Optional.of(account) : Optional.empty());
    }

    private ProblemType refusal(byte[] body, KeyHeader header) {
        return catchThrowableOfType(() -> testee.verify(body, URL, header), AcmeProblemException.class)
                .problem().type();
    }

    @Test
    void acceptsAKidRequestAndGivesItsAccount() throws Exception {
        SignedRequest r = testee.verify(Jws.sign(key, "ES256", KID, nonces.issue(), URL, "{\"a\":1}"), URL,
                KeyHeader.KID);
        assertThat(r.account()).contains(account);
        assertThat(r.json().path("a").asInt()).isEqualTo(1);
        assertThat(r.postAsGet()).isFalse();
    }

    @Test
    void acceptsAJwkRequestWithEachAlgorithm() throws Exception {
        Map<String, PublicJsonWebKey> keys = Map.of("ES256", Jws.ec256(), "ES384", Jws.ec384(), "RS256", Jws.rsa(),
                "EdDSA", Jws.ed25519());
        for (Map.Entry<String, PublicJsonWebKey> k : keys.entrySet()) {
            SignedRequest r = testee.verify(Jws.sign(k.getValue(), k.getKey(), null, nonces.issue(), URL, ""), URL,
                    KeyHeader.JWK);
            assertThat(r.account()).isEmpty();
            assertThat(r.postAsGet()).isTrue();
            assertThat(r.algorithm()).isEqualTo(k.getKey());
            assertThat(r.key().getPublicKey()).isEqualTo(k.getValue().getPublicKey());
        }
    }

    @Test
    void aMacOrNoneIsABadSignatureAlgorithm() throws Exception {
        byte[] body = Jws.sign(key, "ES256", KID, nonces.issue(), URL, "{}");
        String forged = new String(body, StandardCharsets.UTF_8);
        for (String alg : List.of(AlgorithmIdentifiers.NONE, AlgorithmIdentifiers.HMAC_SHA256)) {
            String header = Base64.getUrlEncoder().withoutPadding().encodeToString(("{\"alg\":\"" + alg
                    + "\",\"kid\":\"" + KID + "\",\"nonce\":\"" + nonces.issue() + "\",\"url\":\"" + URL + "\"}")
                    .getBytes(StandardCharsets.UTF_8));
            String b = forged.replaceFirst("\"protected\":\"[^\"]*\"", "\"protected\":\"" + header + "\"");
            assertThat(refusal(b.getBytes(StandardCharsets.UTF_8), KeyHeader.KID))
                    .isEqualTo(ProblemType.BAD_SIGNATURE_ALGORITHM);
        }
    }

    @Test
    void aSignatureOverOtherBytesIsMalformed() throws Exception {
        String body = new String(Jws.sign(key, "ES256", KID, nonces.issue(), URL, "{}"), StandardCharsets.UTF_8);
        String tampered = body.replaceFirst("\"payload\":\"[^\"]*\"", "\"payload\":\"e30K\"");
        assertThat(refusal(tampered.getBytes(StandardCharsets.UTF_8), KeyHeader.KID)).isEqualTo(ProblemType.MALFORMED);
    }

    @Test
    void anotherKeyThanTheAccountsIsMalformed() throws Exception {
        byte[] body = Jws.sign(Jws.ec256(), "ES256", KID, nonces.issue(), URL, "{}");
        assertThat(refusal(body, KeyHeader.KID)).isEqualTo(ProblemType.MALFORMED);
    }

    @Test
    void theKeyHeaderMustBeTheOneTheResourceTakes() throws Exception {
        assertThat(refusal(Jws.sign(key, "ES256", null, nonces.issue(), URL, "{}"), KeyHeader.KID))
                .isEqualTo(ProblemType.MALFORMED);
        assertThat(refusal(Jws.sign(key, "ES256", KID, nonces.issue(), URL, "{}"), KeyHeader.JWK))
                .isEqualTo(ProblemType.MALFORMED);
    }

    @Test
    void anUnknownKidIsAccountDoesNotExist() throws Exception {
        byte[] body = Jws.sign(key, "ES256", KID + "9", nonces.issue(), URL, "{}");
        assertThat(refusal(body, KeyHeader.KID)).isEqualTo(ProblemType.ACCOUNT_DOES_NOT_EXIST);
    }

    @Test
    void aDeactivatedAccountIsUnauthorized() throws Exception {
        account = account.deactivated();
        byte[] body = Jws.sign(key, "ES256", KID, nonces.issue(), URL, "{}");
        assertThat(refusal(body, KeyHeader.KID)).isEqualTo(ProblemType.UNAUTHORIZED);
    }

    @Test
    void aUrlOtherThanTheRequestsIsUnauthorized() throws Exception {
        byte[] body = Jws.sign(key, "ES256", KID, nonces.issue(), URL.replace("new-order", "new-account"), "{}");
        assertThat(refusal(body, KeyHeader.KID)).isEqualTo(ProblemType.UNAUTHORIZED);
    }

    @Test
    void aReusedOrMissingNonceIsBadNonce() throws Exception {
        String nonce = nonces.issue();
        testee.verify(Jws.sign(key, "ES256", KID, nonce, URL, "{}"), URL, KeyHeader.KID);
        assertThat(refusal(Jws.sign(key, "ES256", KID, nonce, URL, "{}"), KeyHeader.KID))
                .isEqualTo(ProblemType.BAD_NONCE);
        assertThat(refusal(Jws.sign(key, "ES256", KID, null, URL, "{}"), KeyHeader.KID))
                .isEqualTo(ProblemType.BAD_NONCE);
    }

    @Test
    void onlyTheFlattenedSerializationIsAccepted() {
        assertThat(refusal("a.b.c".getBytes(StandardCharsets.UTF_8), KeyHeader.KID)).isEqualTo(ProblemType.MALFORMED);
        assertThat(refusal("{\"signatures\":[]}".getBytes(StandardCharsets.UTF_8), KeyHeader.KID))
                .isEqualTo(ProblemType.MALFORMED);
    }

    @Test
    void aJwkWithPrivateMembersIsRefused() throws Exception {
        JsonNode withPrivate = new ObjectMapper().readTree(key.toJson(JsonWebKey.OutputControlLevel.INCLUDE_PRIVATE));
        AcmeProblemException e = catchThrowableOfType(() -> JwsVerifier.publicKey(withPrivate),
                AcmeProblemException.class);
        assertThat(e.problem().type()).isEqualTo(ProblemType.MALFORMED);
    }
}
