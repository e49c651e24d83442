package dev.acmesmime.smime;

import static dev.acmesmime.smime.SignedChallenge.FROM;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.acmesmime.rfc8823.Check;
import dev.acmesmime.rfc8823.ExtractedValues;
import dev.acmesmime.rfc8823.FailureCode;
import dev.acmesmime.rfc8823.MessageKind;
import dev.acmesmime.rfc8823.Verdict;

/**
 * S/MIME-signed challenges, RFC 8823 §3.1 items 6–7 (C15, C17) and §4 (D5). One built message
 * per case; each asserts the codes and what the detail says was verified.
 */
class SmimeChallengeVerifierTest {

    private static TestPki pki;
    private static TestPki otherPki;
    private static TestPki.Identity signer;
    private static SmimeChallengeVerifier verifier;

    @BeforeAll
    static void pki() throws Exception {
        pki = new TestPki("Test CA");
        otherPki = new TestPki("Other CA");
        signer = pki.signer(FROM);
        verifier = verifierTrusting(pki);
    }

    private static SmimeChallengeVerifier verifierTrusting(TestPki trusted) {
        return SmimeChallengeVerifier.builder()
                .trustAnchors(List.of(trusted.root.cert()))
                .clock(Clock.fixed(TestPki.NOW, ZoneOffset.UTC))
                .build();
    }

    private static SignedChallenge challenge() {
        return new SignedChallenge(pki, signer);
    }

    private static Check check(List<Check> checks, FailureCode code) {
        return checks.stream().filter(c -> c.code() == code).findFirst()
                .orElseThrow(() -> new AssertionError("no " + code + " check in " + checks));
    }

    private static List<FailureCode> failures(List<Check> checks) {
        return checks.stream().filter(c -> !c.ok()).map(Check::code).toList();
    }

    private static void assertAllPass(List<Check> checks) {
        assertThat(checks).extracting(Check::code).containsExactly(FailureCode.SMIME_INVALID,
                FailureCode.SMIME_UNTRUSTED, FailureCode.SMIME_SIGNER_MISMATCH, FailureCode.SMIME_HEADERS_UNPROTECTED);
        assertThat(failures(checks)).as("%s", checks).isEmpty();
        assertThat(new Verdict(MessageKind.CHALLENGE, checks, ExtractedValues.NONE, List.of()).valid()).isTrue();
    }

    // ---- shapes that pass ----

    @Test
    void c17_multipartSignedWithInnerRfc822Passes() throws Exception {
        List<Check> checks = verifier.verify(challenge().build(), MessageKind.CHALLENGE, FROM);

        assertAllPass(checks);
        assertThat(check(checks, FailureCode.SMIME_INVALID).detail())
                .startsWith("signature of signer \"CN=ACME challenge signer\" verified (SHA256 / SHA256WITHECDSA) over the ")
                .contains("signed bytes of the multipart/signed")
                .doesNotContain("bare LFs");
        assertThat(check(checks, FailureCode.SMIME_UNTRUSTED).detail())
                .contains("valid at 2026-06-01T12:00:00Z (not the signer-asserted signingTime)")
                .contains("PKIX path of 2 certificate(s) to trust anchor \"CN=Test CA Root\"")
                .endsWith("revocation not checked");
        assertThat(check(checks, FailureCode.SMIME_SIGNER_MISMATCH).detail())
                .isEqualTo("signer certificate rfc822Name SAN \"acme-generator@example.org\" equals From"
                        + " \"acme-generator@example.org\" (D5)");
        assertThat(check(checks, FailureCode.SMIME_HEADERS_UNPROTECTED).detail())
                .isEqualTo("From, To and Subject protected by inner message/rfc822 (RFC 8551 §3.1)"
                        + " and equal to the outer header fields (C17)");
    }

    @Test
    void c17_opaqueSignedDataPasses() throws Exception {
        byte[] mail = challenge().shape(SignedChallenge.Shape.OPAQUE).build();

        List<Check> checks = verifier.verify(mail, MessageKind.CHALLENGE, FROM);

        assertAllPass(checks);
        assertThat(check(checks, FailureCode.SMIME_INVALID).detail())
                .contains("signed bytes of the application/pkcs7-mime signed-data");
    }

    @Test
    void c17_rfc7508SecureHeadersAttributePasses() throws Exception {
        byte[] mail = challenge().protection(SignedChallenge.Protection.RFC7508).build();

        List<Check> checks = verifier.verify(mail, MessageKind.CHALLENGE, FROM);

        assertAllPass(checks);
        assertThat(check(checks, FailureCode.SMIME_HEADERS_UNPROTECTED).detail())
                .isEqualTo("From, To and Subject protected by RFC 7508 secureHeaderFields attribute"
                        + " and equal to the outer header fields (C17)");
    }

    @Test
    void c17_rfc7508InOpaqueSignedDataPasses() throws Exception {
        byte[] mail = challenge().shape(SignedChallenge.Shape.OPAQUE).protection(SignedChallenge.Protection.RFC7508).build();

        assertAllPass(verifier.verify(mail, MessageKind.CHALLENGE, FROM));
    }

    @Test
    void c17_encodedOuterSubjectIsComparedDecoded() throws Exception {
        byte[] mail = challenge()
                .outerSubject("=?UTF-8?Q?ACME:_LgYemJLy3F1LDkiJrdIGbEzyFJyOyf6vBdyZ1TG3sME?=")
                .build();

        assertAllPass(verifier.verify(mail, MessageKind.CHALLENGE, FROM));
    }

    @Test
    void c17_lineEndsRewrittenByARelayStillVerify() throws Exception {
        String crlf = new String(challenge().build(), StandardCharsets.UTF_8);
        byte[] lf = crlf.replace("\r\n", "\n").getBytes(StandardCharsets.UTF_8);

        List<Check> checks = verifier.verify(lf, MessageKind.CHALLENGE, FROM);

        assertAllPass(checks);
        assertThat(check(checks, FailureCode.SMIME_INVALID).detail()).endsWith(", bare LFs restored to CRLF");
    }

    @Test
    void c15_intermediateMissingFromMessageIsUntrusted() throws Exception {
        byte[] mail = challenge().withoutIntermediate().build();

        List<Check> checks = verifier.verify(mail, MessageKind.CHALLENGE, FROM);

        assertThat(failures(checks)).containsExactly(FailureCode.SMIME_UNTRUSTED);
        assertThat(check(checks, FailureCode.SMIME_UNTRUSTED).detail())
                .isEqualTo("signer certificate \"CN=ACME challenge signer\" not trusted at 2026-06-01T12:00:00Z: "
                        + "no PKIX path to any of 1 trust anchor(s): chain ends at issuer \"CN=Test CA S/MIME Intermediate\","
                        + " which is neither a trust anchor nor in the message");
    }

    // ---- smime-invalid ----

    @Test
    void c15_tamperedSignedContentIsInvalid() throws Exception {
        String mail = new String(challenge().build(), StandardCharsets.UTF_8);
        // change the protected body inside the first body part, after signing
        String tampered = mail.replace("\"alexey@example.com\".", "\"mallory@example.com\".");
        assertThat(tampered).isNotEqualTo(mail);

        List<Check> checks = verifier.verify(tampered.getBytes(StandardCharsets.UTF_8), MessageKind.CHALLENGE, FROM);

        assertThat(failures(checks)).containsExactly(FailureCode.SMIME_INVALID);
        assertThat(check(checks, FailureCode.SMIME_INVALID).detail())
                .startsWith("signature of signer \"CN=ACME challenge signer\" does not verify: the ")
                .endsWith("signed bytes of the multipart/signed do not match the message-digest attribute (content altered)");
        assertThat(new Verdict(MessageKind.CHALLENGE, checks, ExtractedValues.NONE, List.of()).valid()).isFalse();
    }

    @Test
    void c15_tamperedSignedSubjectIsInvalid() throws Exception {
        String mail = new String(challenge().build(), StandardCharsets.UTF_8);
        // the attacker edits the signed inner Subject and the outer one alike
        String tampered = mail.replace("Subject: " + SignedChallenge.SUBJECT, "Subject: " + SignedChallenge.SUBJECT + "A");

        List<Check> checks = verifier.verify(tampered.getBytes(StandardCharsets.UTF_8), MessageKind.CHALLENGE, FROM);

        assertThat(failures(checks)).containsExactly(FailureCode.SMIME_INVALID);
    }

    @Test
    void c15_garbageIsInvalid() {
        byte[] garbage = new byte[4096];
        new Random(8823).nextBytes(garbage);

        List<Check> checks = verifier.verify(garbage, MessageKind.CHALLENGE, FROM);

        assertThat(checks).hasSize(1);
        assertThat(checks.get(0).code()).isEqualTo(FailureCode.SMIME_INVALID);
        assertThat(checks.get(0).ok()).isFalse();
        assertThat(checks.get(0).detail()).startsWith("not S/MIME signed: Content-Type \"text/plain\"");
    }

    @Test
    void c15_unsignedPlainChallengeIsNotSmime() {
        byte[] mail = ("From: " + FROM + "\r\nTo: alexey@example.com\r\nSubject: ACME: x\r\n"
                + "Content-Type: text/plain\r\n\r\nhello\r\n").getBytes(StandardCharsets.US_ASCII);

        List<Check> checks = verifier.verify(mail, MessageKind.CHALLENGE, FROM);

        assertThat(checks).containsExactly(Check.fail(FailureCode.SMIME_INVALID,
                "not S/MIME signed: Content-Type \"text/plain\" is neither multipart/signed nor application/pkcs7-mime"));
    }

    @Test
    void c15_garbageSignaturePartIsInvalid() throws Exception {
        String mail = new String(challenge().build(), StandardCharsets.UTF_8);
        int sigStart = mail.indexOf("filename=smime.p7s\r\n\r\n") + "filename=smime.p7s\r\n\r\n".length();
        int sigEnd = mail.indexOf("------=_Part_0_123--");
        String broken = mail.substring(0, sigStart) + "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\r\n" + mail.substring(sigEnd);

        List<Check> checks = verifier.verify(broken.getBytes(StandardCharsets.UTF_8), MessageKind.CHALLENGE, FROM);

        assertThat(checks).hasSize(1);
        assertThat(checks.get(0).code()).isEqualTo(FailureCode.SMIME_INVALID);
        assertThat(checks.get(0).ok()).isFalse();
        assertThat(checks.get(0).detail()).startsWith("malformed multipart/signed: signature part is not a CMS SignedData: ");
    }

    @Test
    void c15_truncatedMessageIsInvalid() throws Exception {
        String mail = new String(challenge().build(), StandardCharsets.UTF_8);
        String inFirstPart = mail.substring(0, mail.indexOf("\r\n------=_Part_0_123\r\nContent-Type: application/pkcs7"));
        String inSignature = mail.substring(0, mail.indexOf("------=_Part_0_123--") - 40);

        assertThat(verifier.verify(inFirstPart.getBytes(StandardCharsets.UTF_8), MessageKind.CHALLENGE, FROM))
                .containsExactly(Check.fail(FailureCode.SMIME_INVALID,
                        "malformed multipart/signed: multipart/signed has fewer than two body parts"));
        assertThat(verifier.verify(inSignature.getBytes(StandardCharsets.UTF_8), MessageKind.CHALLENGE, FROM))
                .containsExactly(Check.fail(FailureCode.SMIME_INVALID,
                        "malformed multipart/signed: multipart/signed has no close delimiter (truncated?)"));
    }

    @Test
    void c15_truncatedOpaqueSignatureIsInvalid() throws Exception {
        byte[] mail = challenge().shape(SignedChallenge.Shape.OPAQUE).build();
        byte[] cut = Arrays.copyOf(mail, mail.length - 200);

        List<Check> checks = verifier.verify(cut, MessageKind.CHALLENGE, FROM);

        assertThat(checks).hasSize(1);
        assertThat(checks.get(0).code()).isEqualTo(FailureCode.SMIME_INVALID);
        assertThat(checks.get(0).ok()).isFalse();
        assertThat(checks.get(0).detail()).startsWith("malformed application/pkcs7-mime signed-data: ");
    }

    @Test
    void c17_encryptedPkcs7MimeIsNotSigned() {
        byte[] mail = ("From: " + FROM + "\r\nContent-Type: application/pkcs7-mime; smime-type=enveloped-data\r\n"
                + "Content-Transfer-Encoding: base64\r\n\r\nMIAGCSqGSIb3DQEHA6CAMIACAQA=\r\n").getBytes(StandardCharsets.US_ASCII);

        List<Check> checks = verifier.verify(mail, MessageKind.CHALLENGE, FROM);

        assertThat(checks).containsExactly(Check.fail(FailureCode.SMIME_INVALID,
                "not S/MIME signed: application/pkcs7-mime; smime-type=\"enveloped-data\" is not signed-data"));
    }

    @Test
    void c15_oversizedMessageIsRefusedUnparsed() throws Exception {
        SmimeChallengeVerifier small = SmimeChallengeVerifier.builder()
                .trustAnchors(List.of(pki.root.cert()))
                .clock(Clock.fixed(TestPki.NOW, ZoneOffset.UTC))
                .maxMessageBytes(1024)
                .build();
        byte[] mail = challenge().build();

        List<Check> checks = small.verify(mail, MessageKind.CHALLENGE, FROM);

        assertThat(checks).containsExactly(Check.fail(FailureCode.SMIME_INVALID,
                "S/MIME not verified: message of " + mail.length + " bytes exceeds the limit of 1024 bytes"));
    }

    @Test
    void c15_emptyAndNullAreInvalid() {
        assertThat(verifier.verify(new byte[0], MessageKind.CHALLENGE, FROM))
                .containsExactly(Check.fail(FailureCode.SMIME_INVALID, "not S/MIME signed: empty message"));
        assertThat(verifier.verify(null, MessageKind.CHALLENGE, FROM))
                .containsExactly(Check.fail(FailureCode.SMIME_INVALID, "not S/MIME signed: empty message"));
    }

    @Test
    void d6_responsesAreNeverAuthenticatedByS_MIME() throws Exception {
        List<Check> checks = verifier.verify(challenge().build(), MessageKind.RESPONSE, FROM);

        assertThat(checks).containsExactly(Check.fail(FailureCode.SMIME_INVALID,
                "S/MIME does not authenticate a response: RFC 8823 §3.2 item 9 requires DKIM (R15, D6)"));
    }

    @Test
    void c15_sha1SignatureIsInvalid() throws Exception {
        byte[] mail = challenge().signatureAlgorithm("SHA1withECDSA").build();

        List<Check> checks = verifier.verify(mail, MessageKind.CHALLENGE, FROM);

        assertThat(failures(checks)).containsExactly(FailureCode.SMIME_INVALID);
        assertThat(check(checks, FailureCode.SMIME_INVALID).detail())
                .isEqualTo("signer \"CN=ACME challenge signer\" uses a broken algorithm (digest SHA1, signature"
                        + " ECDSAWITHSHA1): MD5 and SHA-1 are refused");
    }

    @Test
    void c15_shortRsaKeyIsInvalidAnd2048BitsPass() throws Exception {
        TestPki.Identity weak = pki.signer(TestPki.rsaKeys(1024), KeyPurposeId.id_kp_emailProtection, FROM);
        List<Check> checks = verifier.verify(new SignedChallenge(pki, weak).build(), MessageKind.CHALLENGE, FROM);

        assertThat(failures(checks)).containsExactly(FailureCode.SMIME_INVALID);
        assertThat(check(checks, FailureCode.SMIME_INVALID).detail())
                .isEqualTo("signer \"CN=ACME challenge signer\" has an RSA key of 1024 bits, below 2048");

        TestPki.Identity strong = pki.signer(TestPki.rsaKeys(2048), KeyPurposeId.id_kp_emailProtection, FROM);
        assertAllPass(verifier.verify(new SignedChallenge(pki, strong).build(), MessageKind.CHALLENGE, FROM));
    }

    // ---- smime-untrusted ----

    @Test
    void c15_signerFromAnotherRootIsUntrusted() throws Exception {
        List<Check> checks = verifierTrusting(otherPki).verify(challenge().build(), MessageKind.CHALLENGE, FROM);

        assertThat(failures(checks)).containsExactly(FailureCode.SMIME_UNTRUSTED);
        assertThat(check(checks, FailureCode.SMIME_UNTRUSTED).detail())
                .isEqualTo("signer certificate \"CN=ACME challenge signer\" not trusted at 2026-06-01T12:00:00Z: "
                        + "no PKIX path to any of 1 trust anchor(s): chain ends at issuer \"CN=Test CA Root\","
                        + " which is neither a trust anchor nor in the message");
        assertThat(check(checks, FailureCode.SMIME_INVALID).ok()).as("the bytes still match the key").isTrue();
        assertThat(new Verdict(MessageKind.CHALLENGE, checks, ExtractedValues.NONE, List.of()).valid()).isFalse();
    }

    @Test
    void c15_jdkDefaultTrustStoreDoesNotTrustATestRoot() throws Exception {
        SmimeChallengeVerifier jdk = SmimeChallengeVerifier.builder()
                .clock(Clock.fixed(TestPki.NOW, ZoneOffset.UTC))
                .build();

        List<Check> checks = jdk.verify(challenge().build(), MessageKind.CHALLENGE, FROM);

        assertThat(failures(checks)).containsExactly(FailureCode.SMIME_UNTRUSTED);
        assertThat(check(checks, FailureCode.SMIME_UNTRUSTED).detail()).contains("no PKIX path to any of ");
    }

    @Test
    void c15_certificateNotForEmailProtectionIsUntrusted() throws Exception {
        TestPki.Identity tls = pki.signer(TestPki.ecKeys(), KeyPurposeId.id_kp_serverAuth, FROM);

        List<Check> checks = verifier.verify(new SignedChallenge(pki, tls).build(), MessageKind.CHALLENGE, FROM);

        assertThat(failures(checks)).containsExactly(FailureCode.SMIME_UNTRUSTED);
        assertThat(check(checks, FailureCode.SMIME_UNTRUSTED).detail())
                .isEqualTo("signer certificate \"CN=ACME challenge signer\" not trusted at 2026-06-01T12:00:00Z:"
                        + " extendedKeyUsage lacks emailProtection");
    }

    /**
     * The security note of BC's SignedMailValidator, kept as a regression test: the signer's
     * certificate expired before the validation instant; its signingTime is back-dated into the
     * certificate's validity, which would make it look valid if the signer's clock were trusted.
     */
    @Test
    void c15_expiredSignerWithBackdatedSigningTimeIsUntrusted() throws Exception {
        TestPki.Identity expired = pki.signer(Instant.parse("2025-01-01T00:00:00Z"),
                Instant.parse("2025-12-31T00:00:00Z"), FROM);
        byte[] mail = new SignedChallenge(pki, expired)
                .signingTime(Instant.parse("2025-06-01T00:00:00Z"))
                .build();

        List<Check> checks = verifier.verify(mail, MessageKind.CHALLENGE, FROM);

        assertThat(failures(checks)).containsExactly(FailureCode.SMIME_UNTRUSTED);
        assertThat(check(checks, FailureCode.SMIME_INVALID).ok()).as("signature is cryptographically fine").isTrue();
        assertThat(check(checks, FailureCode.SMIME_UNTRUSTED).detail())
                .isEqualTo("signer certificate \"CN=ACME challenge signer\" not trusted at 2026-06-01T12:00:00Z: "
                        + "expired 2025-12-31T00:00:00Z, before the validation instant 2026-06-01T12:00:00Z"
                        + " (signingTime not relied upon); no PKIX path to any of 1 trust anchor(s): none is valid at that instant");

        // the same mail validated at a clock inside the certificate's validity passes: the clock decides
        SmimeChallengeVerifier then = SmimeChallengeVerifier.builder()
                .trustAnchors(List.of(pki.root.cert()))
                .clock(Clock.fixed(Instant.parse("2025-06-01T00:05:00Z"), ZoneOffset.UTC))
                .build();
        assertThat(failures(then.verify(mail, MessageKind.CHALLENGE, FROM))).isEmpty();
    }

    @Test
    void c15_signingTimeOutsideTheCertificateIsInvalid() throws Exception {
        byte[] mail = challenge().signingTime(Instant.parse("2030-01-01T00:00:00Z")).build();

        List<Check> checks = verifier.verify(mail, MessageKind.CHALLENGE, FROM);

        assertThat(failures(checks)).containsExactly(FailureCode.SMIME_INVALID);
        assertThat(check(checks, FailureCode.SMIME_INVALID).detail()).isEqualTo("signature of signer"
                + " \"CN=ACME challenge signer\" not accepted: the signer-asserted signingTime is outside the"
                + " certificate's validity");
    }

    // ---- smime-signer-mismatch (D5) ----

    @Test
    void d5_noSanEqualToFromIsASignerMismatch() throws Exception {
        TestPki.Identity other = pki.signer("someone-else@example.org");
        byte[] mail = new SignedChallenge(pki, other).build();

        List<Check> checks = verifier.verify(mail, MessageKind.CHALLENGE, FROM);

        assertThat(failures(checks)).containsExactly(FailureCode.SMIME_SIGNER_MISMATCH);
        assertThat(check(checks, FailureCode.SMIME_SIGNER_MISMATCH).detail())
                .isEqualTo("no rfc822Name SAN of the signer certificate equals From \"acme-generator@example.org\""
                        + " (D5); SANs: \"someone-else@example.org\"");
    }

    @Test
    void d5_matchOnSecondSanPasses() throws Exception {
        TestPki.Identity multi = pki.signer("noreply@example.org", FROM, "ops@example.org");
        byte[] mail = new SignedChallenge(pki, multi).build();

        List<Check> checks = verifier.verify(mail, MessageKind.CHALLENGE, FROM);

        assertAllPass(checks);
        assertThat(check(checks, FailureCode.SMIME_SIGNER_MISMATCH).detail())
                .contains("rfc822Name SAN \"acme-generator@example.org\" equals From");
    }

    @Test
    void d5_domainComparedCaseInsensitivelyLocalPartExactly() throws Exception {
        TestPki.Identity upperDomain = pki.signer("acme-generator@EXAMPLE.org");
        byte[] mail = new SignedChallenge(pki, upperDomain).build();
        assertAllPass(verifier.verify(mail, MessageKind.CHALLENGE, FROM));

        TestPki.Identity upperLocal = pki.signer("ACME-generator@example.org");
        byte[] mail2 = new SignedChallenge(pki, upperLocal).build();
        assertThat(failures(verifier.verify(mail2, MessageKind.CHALLENGE, FROM)))
                .containsExactly(FailureCode.SMIME_SIGNER_MISMATCH);
    }

    @Test
    void d5_noSanAtAllIsASignerMismatch() throws Exception {
        TestPki.Identity bare = pki.signer();
        byte[] mail = new SignedChallenge(pki, bare).build();

        List<Check> checks = verifier.verify(mail, MessageKind.CHALLENGE, FROM);

        assertThat(failures(checks)).containsExactly(FailureCode.SMIME_SIGNER_MISMATCH);
        assertThat(check(checks, FailureCode.SMIME_SIGNER_MISMATCH).detail()).endsWith("(D5); SANs: none");
    }

    @Test
    void d5_missingFromAddressFailsClosed() throws Exception {
        List<Check> checks = verifier.verify(challenge().build(), MessageKind.CHALLENGE, null);

        assertThat(failures(checks)).containsExactly(FailureCode.SMIME_SIGNER_MISMATCH);
        assertThat(check(checks, FailureCode.SMIME_SIGNER_MISMATCH).detail())
                .isEqualTo("no single From address to compare with the signer's 1 rfc822Name SAN(s)");
    }

    // ---- smime-headers-unprotected (C17) ----

    @Test
    void c17_signedTextWithoutHeaderProtectionIsUnprotected() throws Exception {
        byte[] mail = challenge().protection(SignedChallenge.Protection.NONE).build();

        List<Check> checks = verifier.verify(mail, MessageKind.CHALLENGE, FROM);

        assertThat(failures(checks)).containsExactly(FailureCode.SMIME_HEADERS_UNPROTECTED);
        assertThat(check(checks, FailureCode.SMIME_HEADERS_UNPROTECTED).detail())
                .isEqualTo("From, To and Subject not protected: signed content is \"text/plain\", not message/rfc822"
                        + " (RFC 8551 §3.1), and the signer has no RFC 7508 secureHeaderFields attribute (C17)");
    }

    @Test
    void c17_protectedSubjectDifferentFromOuterIsUnprotected() throws Exception {
        byte[] mail = challenge().outerSubject("ACME: AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA").build();

        List<Check> checks = verifier.verify(mail, MessageKind.CHALLENGE, FROM);

        assertThat(failures(checks)).containsExactly(FailureCode.SMIME_HEADERS_UNPROTECTED);
        assertThat(check(checks, FailureCode.SMIME_HEADERS_UNPROTECTED).detail())
                .isEqualTo("header protection by inner message/rfc822 (RFC 8551 §3.1) fails: inner message/rfc822"
                        + " Subject \"ACME: LgYemJLy3F1LDkiJrdIGbEzyFJyOyf6vBdyZ1TG3sME\" differs from outer Subject"
                        + " \"ACME: AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\"");
    }

    @Test
    void c17_rfc7508ToDifferentFromOuterIsUnprotected() throws Exception {
        byte[] mail = challenge().protection(SignedChallenge.Protection.RFC7508)
                .protectedTo("mallory@example.net").build();

        List<Check> checks = verifier.verify(mail, MessageKind.CHALLENGE, FROM);

        assertThat(failures(checks)).containsExactly(FailureCode.SMIME_HEADERS_UNPROTECTED);
        assertThat(check(checks, FailureCode.SMIME_HEADERS_UNPROTECTED).detail())
                .isEqualTo("header protection by RFC 7508 secureHeaderFields attribute fails: secureHeaderFields To"
                        + " \"mallory@example.net\" differs from outer To \"alexey@example.com\"");
    }

    @Test
    void c17_bothFormsMustAgree() throws Exception {
        byte[] agreeing = challenge().protection(SignedChallenge.Protection.BOTH).build();
        List<Check> ok = verifier.verify(agreeing, MessageKind.CHALLENGE, FROM);
        assertAllPass(ok);
        assertThat(check(ok, FailureCode.SMIME_HEADERS_UNPROTECTED).detail()).startsWith("From, To and Subject protected by"
                + " inner message/rfc822 (RFC 8551 §3.1) and RFC 7508 secureHeaderFields attribute and equal");

        byte[] mail = challenge().protection(SignedChallenge.Protection.BOTH).protectedSubject("ACME: other").build();
        List<Check> checks = verifier.verify(mail, MessageKind.CHALLENGE, FROM);
        assertThat(failures(checks)).containsExactly(FailureCode.SMIME_HEADERS_UNPROTECTED);
        assertThat(check(checks, FailureCode.SMIME_HEADERS_UNPROTECTED).detail())
                .contains("inner message/rfc822 Subject \"ACME: other\" differs")
                .contains("secureHeaderFields Subject \"ACME: other\" differs");
    }

    @Test
    void c17_outerFromNotTheSignedOneIsUnprotected() throws Exception {
        // the signer's SAN equals the From the inspector extracted, but the outer From was swapped
        byte[] mail = challenge().outerFrom("Mallory <mallory@example.net>").build();

        List<Check> checks = verifier.verify(mail, MessageKind.CHALLENGE, FROM);

        assertThat(failures(checks)).containsExactly(FailureCode.SMIME_HEADERS_UNPROTECTED);
        assertThat(check(checks, FailureCode.SMIME_HEADERS_UNPROTECTED).detail())
                .endsWith("inner message/rfc822 From \"acme-generator@example.org\" differs from outer From"
                        + " \"mallory@example.net\"");
    }

    @Test
    void c17_everyFailureIsCollected() throws Exception {
        TestPki.Identity wrong = otherPki.signer("someone-else@example.org");
        byte[] mail = new SignedChallenge(otherPki, wrong).protection(SignedChallenge.Protection.NONE).build();

        List<Check> checks = verifier.verify(mail, MessageKind.CHALLENGE, FROM);

        assertThat(failures(checks)).containsExactly(FailureCode.SMIME_UNTRUSTED,
                FailureCode.SMIME_SIGNER_MISMATCH, FailureCode.SMIME_HEADERS_UNPROTECTED);
        assertThat(check(checks, FailureCode.SMIME_INVALID).ok()).isTrue();
    }

    @Test
    void c17_isSmimeSignedLooksAtTheTopLevelTypeOnly() throws Exception {
        assertThat(SmimeChallengeVerifier.isSmimeSigned(challenge().build())).isTrue();
        assertThat(SmimeChallengeVerifier.isSmimeSigned(challenge().shape(SignedChallenge.Shape.OPAQUE).build())).isTrue();
        assertThat(SmimeChallengeVerifier.isSmimeSigned("Content-Type: multipart/signed; protocol=\"application/pgp-signature\"; boundary=x\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII))).isFalse();
        assertThat(SmimeChallengeVerifier.isSmimeSigned("Subject: hi\r\n\r\nbody".getBytes(StandardCharsets.US_ASCII))).isFalse();
        assertThat(SmimeChallengeVerifier.isSmimeSigned(null)).isFalse();
    }
}
