package dev.acmesmime.rfc8823;

import static dev.acmesmime.rfc8823.Fixtures.TOKEN_PART1;
import static dev.acmesmime.rfc8823.Fixtures.TOKEN_PART2;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.Base64;

import org.junit.jupiter.api.Test;

/** Test vectors TV1, TV3, TV4 for {@link JwkThumbprint} and {@link KeyAuthorization}. */
class KeyAuthorizationTest {

    private static RSAPublicKey rsa(String n, String e) throws Exception {
        return (RSAPublicKey) KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(
                new BigInteger(1, Base64.getUrlDecoder().decode(n)), new BigInteger(1, Base64.getUrlDecoder().decode(e))));
    }

    @Test
    void tv1_thumbprintFromJwkJson() {
        assertThat(JwkThumbprint.canonicalJson(Fixtures.TV1_JWK))
                .isEqualTo("{\"e\":\"AQAB\",\"kty\":\"RSA\",\"n\":\"" + Fixtures.TV1_N + "\"}");
        assertThat(JwkThumbprint.ofJwk(Fixtures.TV1_JWK)).isEqualTo(Fixtures.TV1_THUMBPRINT);
    }

    @Test
    void tv1_thumbprintFromPublicKey() throws Exception {
        // BigInteger.toByteArray adds a sign octet for this modulus; it must be stripped (RFC 8555 §8.1)
        RSAPublicKey key = rsa(Fixtures.TV1_N, "AQAB");
        assertThat(key.getModulus().toByteArray()[0]).isZero();
        assertThat(JwkThumbprint.of(key)).isEqualTo(Fixtures.TV1_THUMBPRINT);
    }

    @Test
    void tv1_leadingZeroOctetsInJwkAreStripped() {
        byte[] n = Base64.getUrlDecoder().decode(Fixtures.TV1_N);
        byte[] padded = new byte[n.length + 1];
        System.arraycopy(n, 0, padded, 1, n.length);
        String jwk = "{\"kty\":\"RSA\",\"e\":\"AAEAAQ\",\"n\":\""
                + Base64.getUrlEncoder().withoutPadding().encodeToString(padded) + "\"}";
        assertThat(JwkThumbprint.ofJwk(jwk)).isEqualTo(Fixtures.TV1_THUMBPRINT);
    }

    @Test
    void tv3_digestWithPaddedTokenPart1() {
        assertThat(KeyAuthorization.of(TOKEN_PART1, TOKEN_PART2, Fixtures.TV1_THUMBPRINT)).isEqualTo(
                "LgYemJLy3F1LDkiJrdIGbEzyFJyOyf6vBdyZ1TG3sME=DGyRejmCefe7v4NfDGDKfA.NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs");
        assertThat(KeyAuthorization.digest(TOKEN_PART1, TOKEN_PART2, Fixtures.TV1_THUMBPRINT)).isEqualTo(Fixtures.TV3_DIGEST);
    }

    @Test
    void tv3_strippedPaddingDoesNotValidate() {
        String stripped = KeyAuthorization.digest(TOKEN_PART1.replace("=", ""), TOKEN_PART2, Fixtures.TV1_THUMBPRINT);
        assertThat(stripped).isEqualTo(Fixtures.TV3_STRIPPED_DIGEST);
        assertThat(KeyAuthorization.matches(stripped, Fixtures.TV3_DIGEST)).isFalse();
    }

    @Test
    void tv4_acme4jCrossImplementationDigest() throws Exception {
        RSAPublicKey key = rsa(Fixtures.TV4_N, "AQAB");
        assertThat(JwkThumbprint.of(key)).isEqualTo(Fixtures.TV4_THUMBPRINT);
        assertThat(JwkThumbprint.ofJwk("{\"kty\":\"RSA\",\"n\":\"" + Fixtures.TV4_N + "\",\"e\":\"AQAB\"}"))
                .isEqualTo(Fixtures.TV4_THUMBPRINT);
        assertThat(KeyAuthorization.digest(TOKEN_PART1, TOKEN_PART2, Fixtures.TV4_THUMBPRINT)).isEqualTo(Fixtures.TV4_DIGEST);
    }

    @Test
    void x1_matchesAcceptsPaddingAndRejectsOtherValues() {
        assertThat(KeyAuthorization.matches(Fixtures.TV3_DIGEST + "=", Fixtures.TV3_DIGEST)).isTrue();
        assertThat(KeyAuthorization.matches(Fixtures.TV3_DIGEST, Fixtures.TV3_DIGEST + "=")).isTrue();
        assertThat(KeyAuthorization.matches(Fixtures.TV3_DIGEST.substring(1), Fixtures.TV3_DIGEST)).isFalse();
        assertThat(KeyAuthorization.matches("not base64!", Fixtures.TV3_DIGEST)).isFalse();
        assertThat(KeyAuthorization.matches(Fixtures.TV4_DIGEST, Fixtures.TV3_DIGEST)).isFalse();
    }

    @Test
    void x2_byteConcatenationAgreesForUnpaddedMultipleOfThreeTokens() {
        String t1 = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIj"; // 36 octets
        assertThat(KeyAuthorization.digestByteConcatenation(t1, TOKEN_PART2, Fixtures.TV1_THUMBPRINT))
                .isEqualTo(KeyAuthorization.digest(t1, TOKEN_PART2, Fixtures.TV1_THUMBPRINT));
        assertThat(KeyAuthorization.digestByteConcatenation(TOKEN_PART1, TOKEN_PART2, Fixtures.TV1_THUMBPRINT))
                .isNotEqualTo(Fixtures.TV3_DIGEST);
    }

    @Test
    void ecThumbprintFromKeyEqualsThumbprintFromJwk() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        ECPublicKey key = (ECPublicKey) g.generateKeyPair().getPublic();
        String json = JwkThumbprint.canonicalJson(key);
        assertThat(json).startsWith("{\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\"").contains("\",\"y\":\"");
        // coordinates are full 32-octet strings even when the integer is shorter
        String x = json.replaceAll(".*\"x\":\"([^\"]+)\".*", "$1");
        assertThat(Base64.getUrlDecoder().decode(x)).hasSize(32);
        assertThat(JwkThumbprint.ofJwk(json)).isEqualTo(JwkThumbprint.of(key));
    }

    @Test
    void rfc8037_okpThumbprintFromJson() {
        // RFC 8037 Appendix A.3
        assertThat(JwkThumbprint.ofJwk("{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo\"}"))
                .isEqualTo("kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k");
    }

    @Test
    void rfc8037_okpThumbprintFromEd25519Key() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("Ed25519");
        // several keys so that both signs of x (the top bit, RFC 8032 §5.1.2) are met
        for (int i = 0; i < 16; i++) {
            java.security.PublicKey key = g.generateKeyPair().getPublic();
            byte[] spki = key.getEncoded();
            // the SubjectPublicKeyInfo of Ed25519 ends with the 32-octet RFC 8032 public key
            byte[] raw = java.util.Arrays.copyOfRange(spki, spki.length - 32, spki.length);
            String jwk = "{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\""
                    + Base64.getUrlEncoder().withoutPadding().encodeToString(raw) + "\"}";
            assertThat(JwkThumbprint.of(key)).isEqualTo(JwkThumbprint.ofJwk(jwk));
        }
    }

    @Test
    void unsupportedJwkIsRejectedWithReason() {
        assertThatThrownBy(() -> JwkThumbprint.ofJwk("{\"kty\":\"oct\",\"k\":\"AAAA\"}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("oct");
        assertThatThrownBy(() -> JwkThumbprint.ofJwk("{\"kty\":\"RSA\",\"e\":\"AQAB\"}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("\"n\"");
        assertThatThrownBy(() -> JwkThumbprint.ofJwk("not json"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not JSON");
    }

    @Test
    void c2_generatedTokenPart1Has264BitsUnpadded() {
        java.security.SecureRandom random = new java.security.SecureRandom();
        String t = TokenPart1.generate(random);
        assertThat(t).hasSize(TokenPart1.LENGTH).matches("[A-Za-z0-9_-]{44}");
        assertThat(Base64.getUrlDecoder().decode(t)).hasSize(33);
        assertThat(TokenPart1.generate(random)).isNotEqualTo(t);
    }
}
