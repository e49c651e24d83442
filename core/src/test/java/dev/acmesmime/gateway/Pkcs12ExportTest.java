package dev.acmesmime.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Key;
import java.security.KeyStore;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.acmesmime.testing.MailboxCertificates;
import dev.acmesmime.testing.Pkcs12Openssl;
import dev.acmesmime.testing.Pkcs12Openssl.Result;
import dev.acmesmime.testing.MailboxCertificates.Issued;

/** G10: the PKCS#12 export read by independent implementations, OpenSSL 3 and the JDK. */
class Pkcs12ExportTest {
    static final String ALICE = "alice@org.example";
    static final String PASSWORD = "correct horse battery";
    static final MailboxCertificates CA = new MailboxCertificates("PKCS12 Test CA");

    @TempDir
    Path dir;
    final Issued alice = CA.issue(ALICE);
    final SigningIdentity identity = new SigningIdentity(ALICE, alice.key().getPrivate(), alice.chain());

    private Path export(boolean legacy) throws IOException {
        Path p12 = dir.resolve(legacy ? "legacy.p12" : "alice.p12");
        Files.write(p12, new Pkcs12Export().export(identity, PASSWORD.toCharArray(), legacy));
        return p12;
    }

    @Test
    void g10_openSslOpensTheDefaultExport_seeingAes256Pbkdf2Sha256_andRefusesAWrongPassword() throws Exception {
        Path p12 = export(false);

        Result info = Pkcs12Openssl.info(p12, PASSWORD, false);
        assertThat(info.exit()).as(info.output()).isZero();
        assertThat(info.output()).contains("MAC: sha256", "PBES2, PBKDF2, AES-256-CBC", "hmacWithSHA256")
                .doesNotContain("RC2", "3DES");
        Result keys = Pkcs12Openssl.contents(p12, PASSWORD);
        assertThat(keys.output()).contains("friendlyName: " + ALICE, "BEGIN PRIVATE KEY", "BEGIN CERTIFICATE")
                .containsPattern("(?s)localKeyID.*localKeyID");

        Result wrong = Pkcs12Openssl.info(p12, "wrong password", false);
        assertThat(wrong.exit()).isNotZero();
        assertThat(wrong.output()).containsIgnoringCase("mac verify");
    }

    @Test
    void g10_theJdkLoadsTheDefaultExport_withTheKeyAndTheChain() throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(new ByteArrayInputStream(Files.readAllBytes(export(false))), PASSWORD.toCharArray());

        assertThat(ks.aliases().nextElement()).isEqualTo(ALICE);
        Key key = ks.getKey(ALICE, PASSWORD.toCharArray());
        assertThat(key.getEncoded()).isEqualTo(alice.key().getPrivate().getEncoded());
        assertThat(ks.getCertificateChain(ALICE)).containsExactlyElementsOf(alice.chain());
        assertThatThrownBy(() -> KeyStore.getInstance("PKCS12").load(new ByteArrayInputStream(
                Files.readAllBytes(dir.resolve("alice.p12"))), "wrong password".toCharArray()))
                .isInstanceOf(IOException.class);
    }

    @Test
    void g10_theLegacyExportIs3desRc2Sha1_whichOpenSsl3ReadsOnlyWithLegacy() throws Exception {
        Path p12 = export(true);

        Result info = Pkcs12Openssl.info(p12, PASSWORD, true);
        assertThat(info.exit()).as(info.output()).isZero();
        assertThat(info.output()).contains("MAC: sha1", "pbeWithSHA1And40BitRC2-CBC", "pbeWithSHA1And3-KeyTripleDES-CBC");
        Result wrong = Pkcs12Openssl.info(p12, "nope", true);
        assertThat(wrong.exit()).isNotZero();
    }
}
