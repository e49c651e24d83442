package dev.acmesmime.enrolment;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.KeyPair;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.acmesmime.acme.KeyType;
import dev.acmesmime.acme.Keys;

/** A stored private key gives back the whole key pair, for the CSR and the account. */
class KeyCodecTest {
    @ParameterizedTest
    @EnumSource(value = KeyType.class, names = {"RSA_2048", "EC_P256", "EC_P384"})
    void thePublicKeyIsDerivedFromTheStoredPrivateKey(KeyType type) {
        KeyPair key = Keys.generate(type);
        KeyPair back = KeyCodec.decode(KeyCodec.encode(key));
        assertThat(back.getPrivate().getEncoded()).isEqualTo(key.getPrivate().getEncoded());
        assertThat(back.getPublic().getEncoded()).isEqualTo(key.getPublic().getEncoded());
        assertThat(KeyCodec.encode(key).toString()).doesNotContain("MI").contains("redacted");
    }
}
