package dev.acmesmime.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.acmesmime.smime.TestPki;

/**
 * The gateway's S/MIME operations against a second implementation, the OpenSSL 3 CLI: what we sign
 * and encrypt OpenSSL verifies and decrypts, what OpenSSL signs and encrypts we harvest and decrypt.
 * Certificates come from a throw-away CA made here; every check runs at {@link TestPki#NOW}.
 */
class BcSmimeProtectionTest {

    static final String ALICE = "alice@example.com";
    static final String BOB = "bob@example.net";
    static final String BODY = "Grüße aus Köln,\nthe quarterly figures are attached.\n";
    static final byte[] MAIL = ("From: Alice <" + ALICE + ">\nTo: " + BOB + "\nSubject: Figures\n"
            + "Date: Mon, 01 Jun 2026 12:00:00 +0000\nMessage-ID: <m1@example.com>\nMIME-Version: 1.0\n"
            + "Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n" + BODY)
            .getBytes(StandardCharsets.UTF_8);

    static TestPki pki;
    static TestPki.Identity aliceEc;
    static TestPki.Identity bobRsa;
    static BcSmimeProtection smime;

    @BeforeAll
    static void pki() throws Exception {
        pki = new TestPki("Gateway");
        aliceEc = pki.mailbox(TestPki.ecKeys(), ALICE);
        bobRsa = pki.mailbox(TestPki.rsaKeys(2048), BOB);
        smime = BcSmimeProtection.builder().trustAnchors(List.of(pki.root.cert()))
                .clock(Clock.fixed(TestPki.NOW, ZoneOffset.UTC)).build();
    }

    static SigningIdentity identity(String mailbox, TestPki.Identity id) {
        return new SigningIdentity(mailbox, id.keys().getPrivate(), List.of(id.cert(), pki.intermediate.cert()));
    }

    static TestPki.Identity holder(String keyType) {
        return keyType.equals("EC") ? aliceEc : bobRsa;
    }

    @ParameterizedTest(name = "{0} key, header protection {1}")
    @CsvSource({"EC,false", "EC,true", "RSA,false", "RSA,true"})
    void g4_g5_signedMailVerifiesWithOpenssl(String keyType, boolean hp, @TempDir Path dir) throws Exception {
        GatewayResult r = smime.sign(MAIL, identity(ALICE, holder(keyType)), hp);

        assertThat(r.code()).as(r.reason()).isEqualTo(GatewayCode.SIGNED);
        byte[] signed = r.message().orElseThrow();
        String text = new String(signed, StandardCharsets.US_ASCII);
        assertThat(text).contains("micalg=sha-256", "protocol=\"application/pkcs7-signature\"", "smime.p7s")
                .startsWith("From: Alice <" + ALICE + ">\r\n");
        assertThat(SevenBitContent.isSevenBit(signed)).as("G4: 7-bit safe").isTrue();
        Openssl openssl = new Openssl(dir);
        openssl.write("signed.eml", signed);
        openssl.writePem("root.pem", pki.root.cert());

        String out = openssl.ok("cms", "-verify", "-in", "signed.eml", "-CAfile", "root.pem",
                "-attime", Long.toString(TestPki.NOW.getEpochSecond()), "-out", "content.eml");

        assertThat(out).contains("Verification successful");
        String content = new String(openssl.read("content.eml"), StandardCharsets.US_ASCII);
        assertThat(content).contains("Content-Transfer-Encoding: quoted-printable", "Gr=C3=BC=C3=9Fe aus K=C3=B6ln");
        if (hp) {
            assertThat(content).contains("hp=\"clear\"", "Subject: Figures", "From: Alice <" + ALICE + ">",
                    "Message-ID: <m1@example.com>");
        } else {
            assertThat(content).doesNotContain("Subject:");
        }
    }

    @Test
    void g4_eightBitMailSignedStillVerifiesAfterARelayRewroteLineEnds() throws Exception {
        byte[] signed = smime.sign(MAIL, identity(ALICE, aliceEc), false).message().orElseThrow();
        byte[] relayed = new String(signed, StandardCharsets.US_ASCII).replace("\r\n", "\n").getBytes(StandardCharsets.US_ASCII);

        HarvestResult r = smime.harvest(relayed, ALICE);

        assertThat(r.code()).as(r.reason()).isEqualTo(GatewayCode.HARVESTED);
        assertThat(r.certificate().orElseThrow().gcmCapable()).as("our SMIMECapabilities list AES-GCM").isTrue();
    }

    @Test
    void g4_eightBitPartsOfAMultipartAreReencodedAndVerifyWithOpenssl(@TempDir Path dir) throws Exception {
        byte[] mixed = ("From: " + ALICE + "\nTo: " + BOB + "\nSubject: Parts\nMIME-Version: 1.0\n"
                + "Content-Type: multipart/mixed; boundary=\"b1\"\n\npreamble\n--b1\n"
                + "Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n" + BODY
                + "--b1\nContent-Type: application/octet-stream\nContent-Transfer-Encoding: binary\n\n\u00e9\u0000\n"
                + "--b1--\n").getBytes(StandardCharsets.UTF_8);

        byte[] signed = smime.sign(mixed, identity(ALICE, aliceEc), false).message().orElseThrow();

        assertThat(SevenBitContent.isSevenBit(signed)).isTrue();
        Openssl openssl = new Openssl(dir);
        openssl.write("signed.eml", signed);
        openssl.writePem("root.pem", pki.root.cert());
        openssl.ok("cms", "-verify", "-in", "signed.eml", "-CAfile", "root.pem",
                "-attime", Long.toString(TestPki.NOW.getEpochSecond()), "-out", "content.eml");
        assertThat(new String(openssl.read("content.eml"), StandardCharsets.US_ASCII))
                .contains("Content-Transfer-Encoding: quoted-printable", "Content-Transfer-Encoding: base64\r\n\r\nw6kA\r\n--b1--",
                        "preamble");
    }

    @ParameterizedTest(name = "to {0}, gcm {1}")
    @CsvSource({"EC,true", "EC,false", "RSA,true", "RSA,false"})
    void g7_encryptedMailDecryptsWithOpenssl(String keyType, boolean gcm, @TempDir Path dir) throws Exception {
        TestPki.Identity to = holder(keyType);
        GatewayResult r = smime.encrypt(MAIL, List.of(new RecipientCertificate(BOB, to.cert(), gcm)));

        assertThat(r.code()).as(r.reason()).isEqualTo(GatewayCode.ENCRYPTED);
        String text = new String(r.message().orElseThrow(), StandardCharsets.US_ASCII);
        assertThat(text).contains(gcm ? "smime-type=authEnveloped-data" : "smime-type=enveloped-data")
                .contains("Subject: Figures").doesNotContain("quarterly");
        assertDecryptsWithOpenssl(dir, r.message().orElseThrow(), to);
    }

    @ParameterizedTest(name = "gcm {0}")
    @CsvSource({"true", "false"})
    void g7_encryptedToTwoRecipientsBothDecryptWithOpenssl(boolean gcm, @TempDir Path dir) throws Exception {
        GatewayResult r = smime.encrypt(MAIL, List.of(new RecipientCertificate(BOB, bobRsa.cert(), gcm),
                new RecipientCertificate(ALICE, aliceEc.cert(), true)));

        assertThat(r.code()).as(r.reason()).isEqualTo(GatewayCode.ENCRYPTED);
        assertDecryptsWithOpenssl(dir, r.message().orElseThrow(), bobRsa);
        assertDecryptsWithOpenssl(dir, r.message().orElseThrow(), aliceEc);
        assertThat(smime.decrypt(r.message().orElseThrow(), identity(ALICE, aliceEc)).code())
                .isEqualTo(GatewayCode.DECRYPTED);
    }

    private static void assertDecryptsWithOpenssl(Path dir, byte[] encrypted, TestPki.Identity to) throws Exception {
        Openssl openssl = new Openssl(dir);
        openssl.write("encrypted.eml", encrypted);
        openssl.writePem("key.pem", to.keys().getPrivate());
        openssl.writePem("cert.pem", to.cert());

        openssl.ok("cms", "-decrypt", "-in", "encrypted.eml", "-inkey", "key.pem", "-recip", "cert.pem", "-out", "plain.eml");

        assertThat(new String(openssl.read("plain.eml"), StandardCharsets.US_ASCII))
                .startsWith("Content-Type: text/plain; charset=utf-8\r\n")
                .contains("Gr=C3=BC=C3=9Fe aus K=C3=B6ln");
    }

    @ParameterizedTest(name = "to {0} with {1}")
    @CsvSource({"EC,-aes-256-gcm", "EC,-aes-256-cbc", "RSA,-aes-256-gcm", "RSA,-aes-256-cbc"})
    void g9_mailOpensslEncryptedDecrypts(String keyType, String cipher, @TempDir Path dir) throws Exception {
        TestPki.Identity to = holder(keyType);
        Openssl openssl = new Openssl(dir);
        openssl.write("content.eml", "Content-Type: text/plain\r\n\r\nSee you at noon.\r\n".getBytes(StandardCharsets.US_ASCII));
        openssl.writePem("cert.pem", to.cert());
        openssl.ok("cms", "-encrypt", cipher, "-in", "content.eml", "-from", BOB, "-to", ALICE, "-subject", "Lunch",
                "-out", "encrypted.eml", "cert.pem");

        GatewayResult r = smime.decrypt(openssl.read("encrypted.eml"), identity(ALICE, to));

        assertThat(r.code()).as(r.reason()).isEqualTo(GatewayCode.DECRYPTED);
        String text = new String(r.message().orElseThrow(), StandardCharsets.US_ASCII);
        assertThat(text).contains("Subject: Lunch\r\n", "Content-Type: text/plain\r\n\r\nSee you at noon.\r\n")
                .doesNotContain("pkcs7-mime");
    }

    @Test
    void g9_mailEncryptedToSomeoneElseIsNotForUs() {
        byte[] toBob = smime.encrypt(MAIL, List.of(new RecipientCertificate(BOB, bobRsa.cert(), true))).message().orElseThrow();

        assertThat(smime.decrypt(toBob, identity(ALICE, aliceEc)).code()).isEqualTo(GatewayCode.NOT_FOR_US);
        assertThat(smime.decrypt(MAIL, identity(ALICE, aliceEc)).code()).isEqualTo(GatewayCode.NOT_PROTECTED);
    }

    @Test
    void g9_tamperedCiphertextFailsToDecrypt() {
        byte[] enc = smime.encrypt(MAIL, List.of(new RecipientCertificate(BOB, bobRsa.cert(), true))).message().orElseThrow();
        String text = new String(enc, StandardCharsets.US_ASCII);
        int at = text.lastIndexOf("\r\n", text.length() - 3) - 10;
        char c = text.charAt(at);
        byte[] tampered = (text.substring(0, at) + (c == 'A' ? 'B' : 'A') + text.substring(at + 1)).getBytes(StandardCharsets.US_ASCII);

        assertThat(smime.decrypt(tampered, identity(BOB, bobRsa)).code()).isEqualTo(GatewayCode.DECRYPT_FAILED);
    }
}
