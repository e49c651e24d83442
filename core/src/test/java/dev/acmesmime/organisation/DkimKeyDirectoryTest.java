package dev.acmesmime.organisation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.acmesmime.testing.TestKeys;

class DkimKeyDirectoryTest {

    @TempDir
    Path dir;

    @Test
    void findsTheKeyOfADomainIgnoringCaseWithItsSelector() throws Exception {
        TestKeys k = TestKeys.generate(2048, dir, "k");
        Path keys = Files.createDirectory(dir.resolve("keys"));
        Files.copy(k.pkcs1(), keys.resolve("s1._domainkey.Org.Test.pem"));

        DkimKeyDirectory testee = DkimKeyDirectory.open(keys, Clock.systemUTC());

        assertThat(testee.domains()).containsExactly("org.test");
        assertThat(testee.signerFor("ORG.test")).get().extracting(s -> s.selector()).isEqualTo("s1");
        assertThat(testee.signerFor("other.test")).isEmpty();
    }

    @Test
    void aMissingFolderIsRefused() {
        assertThatThrownBy(() -> DkimKeyDirectory.open(dir.resolve("absent"), Clock.systemUTC()))
                .isInstanceOf(IOException.class).hasMessageContaining("absent");
    }

    @Test
    void aBrokenKeyFileIsRefusedByName() throws Exception {
        Files.writeString(dir.resolve("s1._domainkey.org.test.pem"), "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
        assertThatThrownBy(() -> DkimKeyDirectory.open(dir, Clock.systemUTC()))
                .isInstanceOf(IOException.class).hasMessageContaining("s1._domainkey.org.test.pem");
    }

    @Test
    void aShortKeyIsRefused() throws Exception {
        TestKeys k = TestKeys.generate(1024, dir, "k");
        Path keys = Files.createDirectory(dir.resolve("keys"));
        Files.copy(k.pkcs8(), keys.resolve("s1._domainkey.org.test.pem"));
        assertThatThrownBy(() -> DkimKeyDirectory.open(keys, Clock.systemUTC()))
                .isInstanceOf(IOException.class).hasMessageContaining("2048");
    }

    @Test
    void twoKeysForOneDomainAreRefused() throws Exception {
        TestKeys k = TestKeys.generate(2048, dir, "k");
        Path keys = Files.createDirectory(dir.resolve("keys"));
        Files.copy(k.pkcs8(), keys.resolve("s1._domainkey.org.test.pem"));
        Files.copy(k.pkcs8(), keys.resolve("s2._domainkey.org.test.pem"));
        assertThatThrownBy(() -> DkimKeyDirectory.open(keys, Clock.systemUTC()))
                .isInstanceOf(IOException.class).hasMessageContaining("two RSA keys for org.test");
    }

    @Test
    void anEd25519KeyAloneOrNextToTheRsaKeyOfADomain() throws Exception {
        TestKeys rsa = TestKeys.generate(2048, dir, "rsa");
        TestKeys ed = TestKeys.generateEd25519(dir, "ed");
        TestKeys ed2 = TestKeys.generateEd25519(dir, "ed2");
        Path keys = Files.createDirectory(dir.resolve("keys"));
        // the Ed25519 file sorts first: it still goes next to the RSA key
        Files.copy(ed.pkcs8(), keys.resolve("a-ed._domainkey.org.test.pem"));
        Files.copy(rsa.pkcs8(), keys.resolve("s1._domainkey.org.test.pem"));
        Files.copy(ed.pkcs8(), keys.resolve("ed._domainkey.ed.test.pem"));

        DkimKeyDirectory testee = DkimKeyDirectory.open(keys, Clock.systemUTC());

        assertThat(testee.signerFor("org.test").orElseThrow().algorithms()).containsExactly("rsa-sha256", "ed25519-sha256");
        assertThat(testee.signerFor("org.test").orElseThrow().selector()).isEqualTo("s1");
        assertThat(testee.signerFor("ed.test").orElseThrow().algorithms()).containsExactly("ed25519-sha256");

        Files.copy(ed2.pkcs8(), keys.resolve("z-ed._domainkey.org.test.pem"));
        assertThatThrownBy(() -> DkimKeyDirectory.open(keys, Clock.systemUTC()))
                .isInstanceOf(IOException.class).hasMessageContaining("two Ed25519 keys for org.test");
    }
}
