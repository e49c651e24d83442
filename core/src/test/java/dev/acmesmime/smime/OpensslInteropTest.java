package dev.acmesmime.smime;

import static dev.acmesmime.smime.SignedChallenge.FROM;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.acmesmime.rfc8823.Check;
import dev.acmesmime.rfc8823.FailureCode;
import dev.acmesmime.rfc8823.MessageKind;

/**
 * Interop with a second CMS implementation, OpenSSL 3: mails OpenSSL signed ({@code openssl cms
 * -sign}, fixtures made by {@code openssl/make-fixtures.sh}) verify here, and the test mails this
 * suite builds with BouncyCastle verify with {@code openssl cms -verify}, so the fixtures are not
 * only self-consistent.
 */
class OpensslInteropTest {

    private static final String DIR = "/dev/acmesmime/smime/openssl/";
    /** Inside the fixture certificates' validity (made 2026-11-28, valid about ten years). */
    private static final Instant FIXTURE_CLOCK = Instant.parse("2027-06-01T00:00:00Z");

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = OpensslInteropTest.class.getResourceAsStream(DIR + name)) {
            assertThat(in).as(name).isNotNull();
            return in.readAllBytes();
        }
    }

    private static SmimeChallengeVerifier fixtureVerifier() throws IOException {
        try (InputStream pem = OpensslInteropTest.class.getResourceAsStream(DIR + "openssl-root.pem")) {
            return SmimeChallengeVerifier.builder()
                    .trustAnchors(TrustAnchors.fromPem(pem))
                    .clock(Clock.fixed(FIXTURE_CLOCK, ZoneOffset.UTC))
                    .build();
        }
    }

    @Test
    void c17_opensslMultipartSignedWithInnerRfc822Passes() throws Exception {
        List<Check> checks = fixtureVerifier().verify(resource("c17-openssl-multipart-signed.eml"), MessageKind.CHALLENGE, FROM);

        assertThat(checks).as("%s", checks).allMatch(Check::ok).hasSize(4);
        assertThat(checks.get(1).detail()).contains("to trust anchor \"CN=OpenSSL Fixture Root\"");
        // OpenSSL's signer has noreply@ first and the From address second (D5: any SAN may match)
        assertThat(checks.get(2).detail()).contains("rfc822Name SAN \"acme-generator@example.org\" equals From");
    }

    @Test
    void c17_opensslOpaqueSignedDataPasses() throws Exception {
        List<Check> checks = fixtureVerifier().verify(resource("c17-openssl-opaque-signed-data.eml"), MessageKind.CHALLENGE, FROM);

        assertThat(checks).as("%s", checks).allMatch(Check::ok).hasSize(4);
        assertThat(checks.get(0).detail()).contains("application/pkcs7-mime signed-data");
    }

    @Test
    void c15_opensslSignedMailAfterItsCertificateExpiredIsUntrusted() throws Exception {
        SmimeChallengeVerifier later = SmimeChallengeVerifier.builder()
                .trustAnchors(TrustAnchors.fromPem(OpensslInteropTest.class.getResourceAsStream(DIR + "openssl-root.pem")))
                .clock(Clock.fixed(Instant.parse("2040-01-01T00:00:00Z"), ZoneOffset.UTC))
                .build();

        List<Check> checks = later.verify(resource("c17-openssl-multipart-signed.eml"), MessageKind.CHALLENGE, FROM);

        assertThat(checks.stream().filter(c -> !c.ok()).map(Check::code)).containsExactly(FailureCode.SMIME_UNTRUSTED);
    }

    /** Our hand-written MIME and BC CMS must satisfy OpenSSL too; skipped only where no openssl binary exists. */
    @Test
    void c17_testChallengesVerifyWithOpenssl(@TempDir Path dir) throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/openssl")), "openssl not installed");
        TestPki pki = new TestPki("Interop CA");
        TestPki.Identity signer = pki.signer(FROM);
        Path ca = dir.resolve("ca.pem");
        Files.writeString(ca, pem(pki.root.cert(), pki.intermediate.cert()));

        for (SignedChallenge.Shape shape : SignedChallenge.Shape.values()) {
            Path mail = dir.resolve(shape + ".eml");
            Files.write(mail, new SignedChallenge(pki, signer).shape(shape).build());
            Path content = dir.resolve(shape + ".out");

            Process p = new ProcessBuilder("/usr/bin/openssl", "cms", "-verify", "-in", mail.toString(),
                    "-CAfile", ca.toString(), "-attime", Long.toString(TestPki.NOW.getEpochSecond()),
                    "-purpose", "smimesign", "-out", content.toString())
                    .redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();

            assertThat(p.exitValue()).as("%s: %s", shape, output).isZero();
            assertThat(output).contains("Verification successful");
            assertThat(Files.readString(content)).startsWith("Content-Type: message/rfc822").contains("Subject: ACME: LgYem");
        }
    }

    private static String pem(X509Certificate... certs) throws IOException {
        StringWriter w = new StringWriter();
        try (JcaPEMWriter pw = new JcaPEMWriter(w)) {
            for (X509Certificate c : new ArrayList<>(List.of(certs))) {
                pw.writeObject(c);
            }
        }
        return w.toString();
    }
}
