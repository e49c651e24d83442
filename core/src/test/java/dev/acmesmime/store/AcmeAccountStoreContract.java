package dev.acmesmime.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;

/** One ACME account per CA profile, its key sealed under the master key. */
interface AcmeAccountStoreContract extends StoreFixture {
    URI DIRECTORY = URI.create("https://ca.example/acme/directory");

    private static byte[] ecKey() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair().getPrivate().getEncoded();
    }

    @Test
    default void theKeyIsStoredBeforeTheAccountUrlAndKeptWithItsCreationTime() throws Exception {
        byte[] key = ecKey();
        AcmeAccount first = store().acmeAccounts().save(AcmeAccount.of("default", DIRECTORY, SecretBytes.of(key)));
        assertThat(first.accountUrl()).isEmpty();
        assertThat(first.createdAt()).isEqualTo(Jdbc.truncate(clock().instant()));

        clock().advance(Duration.ofMinutes(3));
        AcmeAccount registered = store().acmeAccounts().save(first.withAccountUrl(URI.create("https://ca.example/acct/9")));

        assertThat(store().acmeAccounts().find("default")).contains(registered);
        assertThat(registered.accountKey().bytes()).isEqualTo(key);
        assertThat(registered.accountUrl()).contains(URI.create("https://ca.example/acct/9"));
        assertThat(registered.createdAt()).isEqualTo(first.createdAt());
        assertThat(registered.updatedAt()).isEqualTo(first.createdAt().plus(Duration.ofMinutes(3)));
        assertThat(store().acmeAccounts().find("other")).isEmpty();
    }

    @Test
    default void theAccountKeyIsSealedAndNeverPrinted() throws Exception {
        byte[] key = ecKey();
        AcmeAccount saved = store().acmeAccounts().save(AcmeAccount.of("default", DIRECTORY, SecretBytes.of(key)));
        assertThat(saved.toString()).contains("redacted").doesNotContain(HexFormat.of().formatHex(key, 30, 50));
        closeStore();

        String dump = database().dump();

        assertThat(dump).contains(DIRECTORY.toString());
        assertThat(dump).doesNotContain(Base64.getEncoder().encodeToString(key).substring(40, 80))
                .doesNotContainIgnoringCase(HexFormat.of().formatHex(key, 30, 60));
    }

    @Test
    default void deleteRemovesTheAccountAndALongProfileNameIsRefused() throws Exception {
        store().acmeAccounts().save(AcmeAccount.of("default", DIRECTORY, SecretBytes.of(ecKey())));

        assertThat(store().acmeAccounts().delete("default")).isTrue();
        assertThat(store().acmeAccounts().delete("default")).isFalse();
        assertThatThrownBy(() -> store().acmeAccounts().save(AcmeAccount.of("p".repeat(65), DIRECTORY,
                SecretBytes.of(new byte[] {1})))).isInstanceOf(IllegalArgumentException.class);
    }
}
