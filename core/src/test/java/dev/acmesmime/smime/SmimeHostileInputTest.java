package dev.acmesmime.smime;

import static dev.acmesmime.smime.SignedChallenge.FROM;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.acmesmime.rfc8823.Check;
import dev.acmesmime.rfc8823.FailureCode;
import dev.acmesmime.rfc8823.MessageKind;

/** "Bad input gets a verdict, never a crash" for the S/MIME path (C15). */
class SmimeHostileInputTest {

    private static TestPki pki;
    private static SmimeChallengeVerifier verifier;
    private static byte[] valid;

    @BeforeAll
    static void setUp() throws Exception {
        pki = new TestPki("Hostile CA");
        verifier = SmimeChallengeVerifier.builder()
                .trustAnchors(List.of(pki.root.cert()))
                .clock(Clock.fixed(TestPki.NOW, ZoneOffset.UTC))
                .build();
        valid = new SignedChallenge(pki, pki.signer(FROM)).build();
    }

    private static byte[] opaque(byte[] cms) {
        return ("From: " + FROM + "\r\nTo: alexey@example.com\r\nSubject: ACME: x\r\n"
                + "Content-Type: application/pkcs7-mime; smime-type=signed-data\r\n"
                + "Content-Transfer-Encoding: base64\r\n\r\n"
                + Base64.getMimeEncoder().encodeToString(cms) + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void c15_deeplyNestedAsn1GivesAVerdict() {
        ByteArrayOutputStream nested = new ByteArrayOutputStream();
        for (int i = 0; i < 200_000; i++) {
            nested.write(0x30); // SEQUENCE
            nested.write(0x80); // indefinite length
        }

        List<Check> checks = verifier.verify(opaque(nested.toByteArray()), MessageKind.CHALLENGE, FROM);

        assertThat(checks).hasSize(1);
        assertThat(checks.get(0).code()).isEqualTo(FailureCode.SMIME_INVALID);
        assertThat(checks.get(0).ok()).isFalse();
        assertThat(checks.get(0).detail()).startsWith("malformed application/pkcs7-mime signed-data: body is not a CMS SignedData: ");
    }

    @Test
    void c15_hugeDeclaredLengthGivesAVerdict() {
        byte[] lying = {0x30, (byte) 0x84, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x02, 0x01, 0x01};

        List<Check> checks = verifier.verify(opaque(lying), MessageKind.CHALLENGE, FROM);

        assertThat(checks).hasSize(1);
        assertThat(checks.get(0).code()).isEqualTo(FailureCode.SMIME_INVALID);
        assertThat(checks.get(0).ok()).isFalse();
    }

    @Test
    void c15_boundaryWithoutPartsGivesAVerdict() {
        byte[] mail = ("From: " + FROM + "\r\nContent-Type: multipart/signed; protocol=\"application/pkcs7-signature\"\r\n\r\n"
                + "no boundary parameter\r\n").getBytes(StandardCharsets.US_ASCII);

        assertThat(verifier.verify(mail, MessageKind.CHALLENGE, FROM)).containsExactly(Check.fail(FailureCode.SMIME_INVALID,
                "malformed multipart/signed: multipart/signed without a usable boundary parameter (RFC 2046 §5.1.1)"));
    }

    /** Flips random bytes of a valid signed challenge: every result is a list of checks, never an exception. */
    @Test
    void c15_randomCorruptionNeverThrowsAndNeverPassesAlteredSignedBytes() {
        Random random = new Random(8823);
        String text = new String(valid, StandardCharsets.ISO_8859_1);
        int signedStart = text.indexOf("Content-Type: message/rfc822");
        int signedEnd = text.indexOf("\r\n------=_Part_0_123\r\nContent-Type: application/pkcs7-signature");
        for (int round = 0; round < 300; round++) {
            byte[] mail = valid.clone();
            int flips = 1 + random.nextInt(4);
            boolean touchedSigned = false;
            for (int f = 0; f < flips; f++) {
                int at = random.nextInt(mail.length);
                byte replacement = (byte) random.nextInt(256);
                if (mail[at] != replacement && at >= signedStart && at < signedEnd
                        && !(mail[at] == '\n' || replacement == '\n' || mail[at] == '\r' || replacement == '\r')) {
                    touchedSigned = true;
                }
                mail[at] = replacement;
            }

            List<Check> checks = verifier.verify(mail, MessageKind.CHALLENGE, FROM);

            assertThat(checks).isNotEmpty();
            assertThat(checks).allSatisfy(c -> assertThat(c.code().code()).startsWith("smime-"));
            if (touchedSigned) {
                assertThat(checks).as("round %d altered the signed bytes", round)
                        .anyMatch(c -> c.code() == FailureCode.SMIME_INVALID && !c.ok());
            }
        }
    }
}
