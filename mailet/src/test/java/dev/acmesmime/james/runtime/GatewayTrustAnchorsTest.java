package dev.acmesmime.james.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import java.util.Properties;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The setting {@code gateway.trustAnchors}: the JDK's roots by default, else a PEM file beside the settings. */
class GatewayTrustAnchorsTest {
    @TempDir
    Path home;

    static Properties settings(String value) {
        Properties p = new Properties();
        if (value != null) {
            p.setProperty(GatewayTrustAnchors.KEY, value);
        }
        return p;
    }

    @Test
    void g6_defaultsToTheJdksRoots() {
        assertThat(GatewayTrustAnchors.fromSettings(settings(null), home)).isNotEmpty();
        assertThat(GatewayTrustAnchors.fromSettings(settings(" JDK "), home)).isNotEmpty();
    }

    @Test
    void g6_readsAPemBundleRelativeToTheSettingsFolder() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(256);
        KeyPair keys = g.generateKeyPair();
        X509Certificate root = new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(
                new X500Name("CN=Partner Root"), BigInteger.TEN, Date.from(Instant.parse("2026-01-01T00:00:00Z")),
                Date.from(Instant.parse("2036-01-01T00:00:00Z")), new X500Name("CN=Partner Root"), keys.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
        StringWriter pem = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(pem)) {
            w.writeObject(root);
        }
        Files.createDirectories(home.resolve("conf"));
        Files.writeString(home.resolve("conf/partner-roots.pem"), pem.toString());

        assertThat(GatewayTrustAnchors.fromSettings(settings("partner-roots.pem"), home)).containsExactly(root);
    }

    @Test
    void aMissingOrEmptyFileNamesTheSetting() throws Exception {
        Files.createDirectories(home.resolve("conf"));
        Files.writeString(home.resolve("conf/empty.pem"), "no certificate here\n");

        assertThatThrownBy(() -> GatewayTrustAnchors.fromSettings(settings("missing.pem"), home))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("gateway.trustAnchors: cannot read");
        assertThatThrownBy(() -> GatewayTrustAnchors.fromSettings(settings("empty.pem"), home))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no CERTIFICATE");
    }
}
