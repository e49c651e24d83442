package dev.acmesmime.smime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;

import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.acmesmime.rfc8823.Check;
import dev.acmesmime.rfc8823.MessageKind;

/** The trust-anchor sources for the X14 gap (RFC 8823 names no trust anchors). */
class TrustAnchorsTest {

    private static TestPki pki;

    @BeforeAll
    static void setUp() throws Exception {
        pki = new TestPki("Anchor CA");
    }

    private static String pem(X509Certificate... certs) throws IOException {
        StringWriter w = new StringWriter();
        try (JcaPEMWriter pw = new JcaPEMWriter(w)) {
            for (X509Certificate c : certs) {
                pw.writeObject(c);
            }
        }
        return w.toString();
    }

    @Test
    void x14_pemBundleWithCommentsYieldsEveryCertificate() throws Exception {
        String bundle = "# S/MIME roots of our CAs\n" + pem(pki.root.cert()) + "\nsome text\n" + pem(pki.intermediate.cert());

        List<X509Certificate> certs = TrustAnchors.fromPem(new ByteArrayInputStream(bundle.getBytes(StandardCharsets.US_ASCII)));

        assertThat(certs).containsExactly(pki.root.cert(), pki.intermediate.cert());
    }

    @Test
    void x14_pemAnchorsTrustTheSigner() throws Exception {
        List<X509Certificate> anchors = TrustAnchors.fromPem(
                new ByteArrayInputStream(pem(pki.root.cert()).getBytes(StandardCharsets.US_ASCII)));
        SmimeChallengeVerifier v = SmimeChallengeVerifier.builder().trustAnchors(anchors)
                .clock(Clock.fixed(TestPki.NOW, ZoneOffset.UTC)).build();

        List<Check> checks = v.verify(new SignedChallenge(pki, pki.signer(SignedChallenge.FROM)).build(),
                MessageKind.CHALLENGE, SignedChallenge.FROM);

        assertThat(checks).allMatch(Check::ok);
    }

    @Test
    void x14_emptyPemIsAConfigurationError() {
        assertThatThrownBy(() -> TrustAnchors.fromPem(new ByteArrayInputStream("nothing here\n".getBytes(StandardCharsets.US_ASCII))))
                .isInstanceOf(IOException.class)
                .hasMessage("PEM bundle holds no CERTIFICATE block");
        assertThatThrownBy(() -> SmimeChallengeVerifier.builder().trustAnchors(List.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void x14_keyStoreEntriesAreAnchors() throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setCertificateEntry("root", pki.root.cert());

        assertThat(TrustAnchors.fromKeyStore(ks)).containsExactly(pki.root.cert());
    }

    @Test
    void x14_jdkDefaultIsTheJdkTrustStore() {
        List<X509Certificate> jdk = TrustAnchors.jdkDefault();

        assertThat(jdk).isNotEmpty();
        assertThat(jdk).doesNotContain(pki.root.cert());
    }
}
