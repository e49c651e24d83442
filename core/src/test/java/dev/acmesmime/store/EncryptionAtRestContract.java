package dev.acmesmime.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;

/** Private keys and token-part2 are stored only sealed (AES-GCM) under the master key kept outside the database. */
interface EncryptionAtRestContract extends StoreFixture {
    String TOKEN_PART2 = "Zm9yIHlvdXIgZXllcyBvbmx5IGFuZCBub2JvZHkgZWxzZQ";
    URI CHALLENGE = URI.create("https://ca.example/acme/chall/secret");

    default byte[] rsaPrivateKey() throws NoSuchAlgorithmException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        return g.generateKeyPair().getPrivate().getEncoded();
    }

    @Test
    default void aDatabaseDumpRevealsNeitherPrivateKeyNorTokenPart2() throws Exception {
        byte[] der = rsaPrivateKey();
        String pemBody = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        store().enrolments().save(Enrolment.of("alice@org.example").withStep(EnrolmentStep.ISSUED)
                .withPrivateKey(SecretBytes.of(der)));
        store().pendingChallenges().register(new PendingChallenge.Registration(CHALLENGE, "alice@org.example",
                "acme@ca.example", TOKEN_PART2, "thumb", clock().instant().plus(Duration.ofHours(1))));
        closeStore();

        String dump = database().dump();

        // the dump does hold the rows: it is not an empty file that would pass trivially
        assertThat(dump).contains("alice@org.example").contains(CHALLENGE.toString());
        assertThat(dump).doesNotContain(TOKEN_PART2)
                .doesNotContain(pemBody.lines().skip(1).findFirst().orElseThrow())
                .doesNotContain(Base64.getEncoder().encodeToString(der).substring(100, 164))
                .doesNotContainIgnoringCase(HexFormat.of().formatHex(der, 100, 140))
                .doesNotContain(new String(der, 100, 40, StandardCharsets.ISO_8859_1));
    }

    @Test
    default void eachValueIsSealedWithItsOwnIvUnderTheKeyId() throws Exception {
        byte[] key = "same key for both".getBytes(StandardCharsets.US_ASCII);
        store().enrolments().save(Enrolment.of("alice@org.example").withPrivateKey(SecretBytes.of(key)));
        store().enrolments().save(Enrolment.of("bob@org.example").withPrivateKey(SecretBytes.of(key)));

        byte[] alice = rawKey("alice@org.example");
        byte[] bob = rawKey("bob@org.example");
        assertThat(alice).isNotEqualTo(bob);
        assertThat(alice[0]).isEqualTo(SecretCipher.FORMAT);
        assertThat(HexFormat.of().formatHex(alice, 1, 5)).isEqualTo(store().masterKeyId());
        assertThat(alice).hasSize(1 + 4 + 12 + key.length + 16);
    }

    @Test
    default void aSealedKeyCopiedToAnotherMailboxDoesNotOpen() throws Exception {
        store().enrolments().save(Enrolment.of("alice@org.example").withPrivateKey(SecretBytes.of(new byte[] {1, 2, 3})));
        store().enrolments().save(Enrolment.of("mallory@org.example").withPrivateKey(SecretBytes.of(new byte[] {9})));
        try (Connection c = database().adminConnection();
             PreparedStatement st = c.prepareStatement("UPDATE acme_smime_enrolment SET private_key = ? WHERE mailbox = ?")) {
            st.setBytes(1, rawKey("alice@org.example"));
            st.setString(2, "mallory@org.example");
            st.executeUpdate();
        }

        assertThatThrownBy(() -> store().enrolments().find("mallory@org.example"))
                .isInstanceOf(StoreException.class).hasMessageContaining("authentication tag mismatch");
    }

    @Test
    default void anAlteredSealedValueDoesNotOpen() throws Exception {
        store().enrolments().save(Enrolment.of("alice@org.example").withPrivateKey(SecretBytes.of(new byte[] {1, 2, 3})));
        byte[] raw = rawKey("alice@org.example");
        raw[raw.length - 1] ^= 1;
        try (Connection c = database().adminConnection();
             PreparedStatement st = c.prepareStatement("UPDATE acme_smime_enrolment SET private_key = ?")) {
            st.setBytes(1, raw);
            st.executeUpdate();
        }

        assertThatThrownBy(() -> store().enrolments().find("alice@org.example")).isInstanceOf(StoreException.class);
    }

    private byte[] rawKey(String mailbox) throws SQLException {
        try (Connection c = database().adminConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT private_key FROM acme_smime_enrolment WHERE mailbox = '" + mailbox + "'")) {
            assertThat(rs.next()).isTrue();
            return rs.getBytes(1);
        }
    }
}
