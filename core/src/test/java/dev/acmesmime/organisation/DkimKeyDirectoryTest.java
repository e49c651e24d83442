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
                .isInstanceOf(IOException.class).hasMessageContaining("two keys for org.test");
    }
}
