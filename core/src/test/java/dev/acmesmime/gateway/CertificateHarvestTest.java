package dev.acmesmime.gateway;

import static dev.acmesmime.gateway.BcSmimeProtectionTest.ALICE;
import static dev.acmesmime.gateway.BcSmimeProtectionTest.BOB;
import static dev.acmesmime.gateway.BcSmimeProtectionTest.MAIL;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.acmesmime.smime.TestPki;

/** G6 harvest and G3 isProtected, on mails OpenSSL signed and on our own, tampered or not. */
class CertificateHarvestTest {

    static TestPki pki;
    static TestPki.Identity alice;
    static BcSmimeProtection smime;

    @BeforeAll
    static void pki() throws Exception {
        pki = new TestPki("Harvest");
        alice = pki.mailbox(TestPki.ecKeys(), ALICE);
        smime = BcSmimeProtection.builder().trustAnchors(List.of(pki.root.cert()))
                .clock(Clock.fixed(TestPki.NOW, ZoneOffset.UTC)).build();
    }

    private static byte[] opensslSigned(Path dir, String... extra) throws Exception {
        Openssl openssl = new Openssl(dir);
        openssl.write("content.eml", "Content-Type: text/plain\r\n\r\nHello Bob.\r\n".getBytes(StandardCharsets.US_ASCII));
        openssl.writePem("cert.pem", alice.cert());
        openssl.writePem("key.pem", alice.keys().getPrivate());
        openssl.writePem("chain.pem", pki.intermediate.cert());
        List<String> args = new ArrayList<>(List.of("cms", "-sign", "-in", "content.eml", "-signer", "cert.pem",
                "-inkey", "key.pem", "-certfile", "chain.pem", "-from", ALICE, "-to", BOB, "-subject", "Hi",
                "-out", "signed.eml"));
        args.addAll(List.of(extra));
        openssl.ok(args.toArray(String[]::new));
        return openssl.read("signed.eml");
    }

    @ParameterizedTest(name = "opaque {0}")
    @ValueSource(booleans = {false, true})
    void g6_mailOpensslSignedIsHarvested(boolean opaque, @TempDir Path dir) throws Exception {
        byte[] signed = opaque ? opensslSigned(dir, "-nodetach") : opensslSigned(dir);

        HarvestResult r = smime.harvest(signed, "alice@Example.COM"); // domain case-insensitive, local part exact (D5)

        assertThat(r.code()).as(r.reason()).isEqualTo(GatewayCode.HARVESTED);
        CorrespondentCertificate c = r.certificate().orElseThrow();
        assertThat(c.address()).isEqualTo(ALICE);
        assertThat(c.fingerprint()).isEqualTo(CertificateHarvest.fingerprint(alice.cert()));
        assertThat(c.certificatePem()).contains("BEGIN CERTIFICATE").hasSizeGreaterThan(1000);
        assertThat(c.validAt(TestPki.NOW)).isTrue();
        assertThat(smime.isProtected(signed)).as("G3").isTrue();
    }

    @Test
    void g6_otherFromIsAddressMismatch(@TempDir Path dir) throws Exception {
        HarvestResult r = smime.harvest(opensslSigned(dir), "mallory@example.com");

        assertThat(r.code()).as(r.reason()).isEqualTo(GatewayCode.ADDRESS_MISMATCH);
        assertThat(r.certificate()).isEmpty();
    }

    @Test
    void g6_untrustedRootIsUntrusted(@TempDir Path dir) throws Exception {
        BcSmimeProtection otherRoots = BcSmimeProtection.builder().trustAnchors(List.of(new TestPki("Other").root.cert()))
                .clock(Clock.fixed(TestPki.NOW, ZoneOffset.UTC)).build();

        HarvestResult r = otherRoots.harvest(opensslSigned(dir), ALICE);

        assertThat(r.code()).as(r.reason()).isEqualTo(GatewayCode.UNTRUSTED);
        assertThat(r.reason()).contains("no PKIX path");
    }

    @Test
    void g6_tamperedContentIsSignatureInvalid() {
        SigningIdentity id = new SigningIdentity(ALICE, alice.keys().getPrivate(), List.of(alice.cert(), pki.intermediate.cert()));
        String signed = new String(smime.sign(MAIL, id, false).message().orElseThrow(), StandardCharsets.US_ASCII);
        byte[] tampered = signed.replace("quarterly", "quarter1y").getBytes(StandardCharsets.US_ASCII);

        HarvestResult r = smime.harvest(tampered, ALICE);

        assertThat(r.code()).as(r.reason()).isEqualTo(GatewayCode.SIGNATURE_INVALID);
        assertThat(smime.harvest(signed.getBytes(StandardCharsets.US_ASCII), ALICE).code()).isEqualTo(GatewayCode.HARVESTED);
    }

    @Test
    void g3_plainMailIsNotProtectedAndGarbageGetsACode() {
        assertThat(smime.isProtected(MAIL)).isFalse();
        assertThat(smime.harvest(MAIL, ALICE).code()).isEqualTo(GatewayCode.NOT_PROTECTED);
        byte[] garbage = "Content-Type: multipart/signed; protocol=\"application/pkcs7-signature\"\r\n\r\n\u0000\u00ff"
                .getBytes(StandardCharsets.ISO_8859_1);
        assertThat(smime.isProtected(garbage)).isTrue();
        assertThat(smime.harvest(garbage, ALICE).code()).isEqualTo(GatewayCode.MALFORMED);
        assertThat(smime.decrypt(garbage, new SigningIdentity(ALICE, alice.keys().getPrivate(), List.of(alice.cert()))).code())
                .isEqualTo(GatewayCode.NOT_PROTECTED);
    }
}
