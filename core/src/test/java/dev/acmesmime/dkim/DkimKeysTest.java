package dev.acmesmime.dkim;

import dev.acmesmime.testing.TestKeys;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.util.Arrays;
import java.util.Base64;

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
    void readsEd25519KeysWrittenByOpensslAndPublishesTheRawKey() throws Exception {
        Path pem = dir.resolve("ed.pem");
        Process p = new ProcessBuilder("openssl", "genpkey", "-algorithm", "ed25519", "-out", pem.toString())
                .redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        assertThat(p.waitFor()).isZero();

        PrivateKey key = DkimKeys.readPrivateKey(pem);
        String record = DkimKeys.keyRecord(DkimKeys.publicKeyOf(key));

        assertThat(DkimKeys.isEd25519(key)).isTrue();
        // RFC 8463 §4.2: the raw 32-octet key, 44 base64 characters, not a SubjectPublicKeyInfo
        assertThat(record).matches("v=DKIM1; k=ed25519; p=[A-Za-z0-9+/]{43}=");
        Process pub = new ProcessBuilder("openssl", "pkey", "-in", pem.toString(), "-pubout", "-outform", "DER")
                .start();
        byte[] spki = pub.getInputStream().readAllBytes();
        assertThat(pub.waitFor()).isZero();
        assertThat(record).endsWith(Base64.getEncoder().encodeToString(Arrays.copyOfRange(spki, 12, 44)));
        assertThat(DkimKeys.ed25519PublicKey(record.substring(record.indexOf("p=") + 2)))
                .isEqualTo(DkimKeys.publicKeyOf(key));
    }

    @Test
    void refusesEd25519KeyRecordsOfTheWrongLength() {
        assertThatThrownBy(() -> DkimKeys.ed25519PublicKey(Base64.getEncoder().encodeToString(new byte[31])))
                .hasMessage("an Ed25519 p= has 32 octets, this one 31");
        assertThatThrownBy(() -> DkimKeys.ed25519PublicKey("not base64!")).hasMessage("p= is not base64");
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
                .hasMessage("PEM block PRIVATE KEY is not an RSA or Ed25519 private key");
    }
}
