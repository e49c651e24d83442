package dev.acmesmime.dkim;

import dev.acmesmime.testing.TestKeys;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Unit tests for {@link DkimKeys}. */
class DkimKeysTest {

    @TempDir
    Path dir;

    @Test
    void readsPkcs1AndPkcs8PemToTheSameKey() throws Exception {
        TestKeys keys = TestKeys.generate(2048, dir, "k");

        assertThat(DkimKeys.readPrivateKey(keys.pkcs1())).isEqualTo(keys.pair().getPrivate());
        assertThat(DkimKeys.readPrivateKey(keys.pkcs8())).isEqualTo(keys.pair().getPrivate());
        assertThat(DkimKeys.publicKeyOf(keys.pair().getPrivate())).isEqualTo(keys.pair().getPublic());
    }

    @Test
    void readsKeysWrittenByOpenssl() throws Exception {
        Path pkcs1 = dir.resolve("genrsa.pem");
        Process p = new ProcessBuilder("openssl", "genrsa", "-traditional", "-out", pkcs1.toString(), "2048")
                .redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        assertThat(p.waitFor()).isZero();
        assertThat(Files.readString(pkcs1)).startsWith("-----BEGIN RSA PRIVATE KEY-----");

        assertThat(DkimKeys.keyRecord(DkimKeys.publicKeyOf(DkimKeys.readPrivateKey(pkcs1)))).startsWith("v=DKIM1; k=rsa; p=MIIB");
    }

    @Test
    void refusesEncryptedAndUnknownPem() {
        assertThatThrownBy(() -> DkimKeys.parsePrivateKey("-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("encrypted private keys are not supported");
        assertThatThrownBy(() -> DkimKeys.parsePrivateKey("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"))
                .hasMessage("unsupported PEM block CERTIFICATE (expected PRIVATE KEY or RSA PRIVATE KEY)");
        assertThatThrownBy(() -> DkimKeys.parsePrivateKey("no pem here"))
                .hasMessage("no PEM block found (expected BEGIN PRIVATE KEY or BEGIN RSA PRIVATE KEY)");
        assertThatThrownBy(() -> DkimKeys.parsePrivateKey("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"))
                .hasMessage("PEM block PRIVATE KEY is not an RSA private key");
    }
}
