package dev.acmesmime.dkim;

import static dev.acmesmime.dkim.TestMails.bytes;
import static dev.acmesmime.dkim.TestMails.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import dev.acmesmime.rfc8823.Check;
import dev.acmesmime.rfc8823.FailureCode;
import dev.acmesmime.rfc8823.MessageKind;
import dev.acmesmime.rfc8823.Verdict;
import dev.acmesmime.testing.DkimDns;
import dev.acmesmime.testing.Dkimpy;
import dev.acmesmime.testing.FreePorts;
import dev.acmesmime.testing.TestKeys;

/**
 * Unit tests for {@link DkimPolicyVerifier}: mails signed by Debian's dkimpy, keys served by a real
 * dnsmasq. Each test is named after the checklist rule it checks.
 */
@Timeout(120) // hang guard only
class DkimPolicyVerifierTest {

    static final String USER = "user@example.test";
    static final String CA = "acme@ca.test";
    static final String SEL = "s2048";

    @RegisterExtension
    static final DkimDns DNS = DkimDns.keys(k -> k.rsa("strong", 2048).rsa("weak", 768))
            .publish(SEL, "example.test", "strong")
            .publish(SEL, "ca.test", "strong")
            .publish(SEL, "mail.example.test", "strong")
            .publish(SEL, "xn--bcher-kva.test", "strong")
            .publish("weak", "example.test", "weak")
            .txt("revoked", "example.test", d -> "v=DKIM1; k=rsa; p=")
            .txt("testing", "example.test", d -> d.key("strong").record().replace("k=rsa;", "k=rsa; t=y;"));
    static TestKeys strong;
    static TestKeys weak;
    static DkimPolicyVerifier testee;

    @BeforeAll
    static void keys() {
        strong = DNS.key("strong");
        weak = DNS.key("weak");
        testee = verifier(DNS.server());
    }

    static DkimPolicyVerifier verifier(String server) {
        return DkimPolicyVerifier.builder()
                .keyResolver(DkimKeyResolver.builder().server(server).build())
                .build();
    }

    static String[] h(List<String> names) {
        return Dkimpy.headers(names);
    }

    static byte[] response() {
        return TestMails.response(USER, CA);
    }

    private static byte[] signedResponse;

    /** A response dkimpy signed with the D7 list, made once (each dkimpy run costs a Python start). */
    static synchronized byte[] signedResponse() throws Exception {
        if (signedResponse == null) {
            signedResponse = Dkimpy.sign(response(), SEL, "example.test", strong.pkcs1(), h(SignedFields.RESPONSE_REQUIRED));
        }
        return signedResponse.clone();
    }

    static List<FailureCode> failures(List<Check> checks) {
        return checks.stream().filter(c -> !c.ok()).map(Check::code).toList();
    }

    static Check check(List<Check> checks, FailureCode code) {
        return checks.stream().filter(c -> c.code() == code).findFirst()
                .orElseThrow(() -> new AssertionError("no " + code + " check in " + checks));
    }

    static boolean valid(MessageKind kind, List<Check> checks) {
        return new Verdict(kind, checks, null, List.of()).valid();
    }

    @Test
    void d7_acceptsResponseSignedByDkimpyWithTheD7List() throws Exception {
        List<Check> checks = testee.verify(signedResponse(), MessageKind.RESPONSE, USER);

        assertThat(failures(checks)).isEmpty();
        assertThat(check(checks, FailureCode.DKIM_INVALID).detail())
                .isEqualTo("signature d=\"example.test\" s=\"s2048\": signature verifies (a=rsa-sha256, 2048-bit key)");
        assertThat(check(checks, FailureCode.DKIM_HEADERS).detail()).endsWith("h= names all 12 fields of the D7 list");
        assertThat(check(checks, FailureCode.DKIM_WEAK_KEY).ok()).isTrue();
        assertThat(valid(MessageKind.RESPONSE, checks)).isTrue();
    }

    @Test
    void d2_acceptsChallengeSignedByDkimpyWithTheD2ListAndSimpleCanonicalisation() throws Exception {
        byte[] mail = Dkimpy.sign(TestMails.challenge(CA, USER), SEL, "ca.test", strong.pkcs1(),
                "--hcanon", "simple", "--bcanon", "simple", "--headers", String.join(":", SignedFields.CHALLENGE_REQUIRED));

        List<Check> checks = testee.verify(mail, MessageKind.CHALLENGE, CA);

        assertThat(failures(checks)).isEmpty();
        assertThat(check(checks, FailureCode.DKIM_HEADERS).detail()).endsWith("h= names all 13 fields of the D2 list");
        assertThat(valid(MessageKind.CHALLENGE, checks)).isTrue();
    }

    @Test
    void d2_challengeNeedsAutoSubmittedInTheHeaderList() throws Exception {
        byte[] mail = Dkimpy.sign(TestMails.challenge(CA, USER), SEL, "ca.test", strong.pkcs1(),
                h(SignedFields.RESPONSE_REQUIRED));

        List<Check> checks = testee.verify(mail, MessageKind.CHALLENGE, CA);

        assertThat(failures(checks)).containsExactly(FailureCode.DKIM_HEADERS);
        assertThat(check(checks, FailureCode.DKIM_HEADERS).detail())
                .isEqualTo("signature d=\"ca.test\" s=\"s2048\": h= lacks Auto-Submitted of the D2 list");
        assertThat(check(checks, FailureCode.DKIM_INVALID).ok()).isTrue();
        assertThat(valid(MessageKind.CHALLENGE, checks)).isFalse();
    }

    @Test
    void d10_rejectsDkimsignDefaultHeaderListThatOmitsAbsentFields() throws Exception {
        // the dkimsign command names only the fields present in the mail
        byte[] mail = Dkimpy.dkimsign(response(), SEL, "example.test", strong.pkcs1());

        List<Check> checks = testee.verify(mail, MessageKind.RESPONSE, USER);

        assertThat(failures(checks)).containsExactly(FailureCode.DKIM_HEADERS);
        assertThat(check(checks, FailureCode.DKIM_HEADERS).detail())
                .isEqualTo("signature d=\"example.test\" s=\"s2048\": h= lacks Sender, Reply-To, CC of the D7 list");
        assertThat(check(checks, FailureCode.DKIM_INVALID).ok()).isTrue();
    }

    @Test
    void d10_comparesHeaderNamesCaseInsensitively() throws Exception {
        List<String> mixed = SignedFields.RESPONSE_REQUIRED.stream().map(String::toUpperCase).toList();
        byte[] mail = Dkimpy.sign(response(), SEL, "example.test", strong.pkcs1(), h(mixed));

        assertThat(failures(testee.verify(mail, MessageKind.RESPONSE, USER))).isEmpty();
    }

    @Test
    void d11_fromMustBeSigned() throws Exception {
        String signed = text(signedResponse());
        String noFrom = signed.replaceFirst("h=from : ", "h=");

        List<Check> checks = testee.verify(bytes(noFrom), MessageKind.RESPONSE, USER);

        assertThat(check(checks, FailureCode.DKIM_HEADERS).detail())
                .isEqualTo("signature d=\"example.test\" s=\"s2048\": h= lacks From of the D7 list"
                        + " (From MUST be signed, RFC 6376 §5.4)");
        assertThat(check(checks, FailureCode.DKIM_INVALID).ok()).isFalse();
    }

    @Test
    void d12_rejectsRsaSha1() throws Exception {
        byte[] mail = Dkimpy.sign(response(), SEL, "example.test", strong.pkcs1(),
                "--alg", "rsa-sha1", "--headers", String.join(":", SignedFields.RESPONSE_REQUIRED));

        List<Check> checks = testee.verify(mail, MessageKind.RESPONSE, USER);

        assertThat(failures(checks)).containsExactly(FailureCode.DKIM_SHA1);
        assertThat(check(checks, FailureCode.DKIM_SHA1).detail())
                .isEqualTo("signature d=\"example.test\" s=\"s2048\": a=rsa-sha1 MUST NOT be used (RFC 8301 §3.1)");
        assertThat(check(checks, FailureCode.DKIM_INVALID).ok()).as("the crypto itself verifies").isTrue();
    }

    @Test
    void d12_rejectsRsaKeysUnder1024Bits() throws Exception {
        byte[] mail = Dkimpy.sign(response(), "weak", "example.test", weak.pkcs1(), h(SignedFields.RESPONSE_REQUIRED));

        List<Check> checks = testee.verify(mail, MessageKind.RESPONSE, USER);

        assertThat(failures(checks)).containsExactly(FailureCode.DKIM_WEAK_KEY);
        assertThat(check(checks, FailureCode.DKIM_WEAK_KEY).detail())
                .isEqualTo("signature d=\"example.test\" s=\"weak\": RSA key has 768 bits, under the 1024 RFC 8301 §3.2 requires");
        assertThat(testee.evaluate(mail, MessageKind.RESPONSE, USER).get(0).keyBits()).isEqualTo(768);
        assertThat(valid(MessageKind.RESPONSE, checks)).isFalse();
    }

    @Test
    void d13_rejectsBodyLengthShorterThanTheBody() throws Exception {
        byte[] signed = Dkimpy.sign(response(), SEL, "example.test", strong.pkcs1(),
                "--length", "--headers", String.join(":", SignedFields.RESPONSE_REQUIRED));
        byte[] appended = bytes(text(signed) + "-----BEGIN ACME RESPONSE-----\r\nforged\r\n-----END ACME RESPONSE-----\r\n");

        List<Check> checks = testee.verify(appended, MessageKind.RESPONSE, USER);

        assertThat(failures(checks)).containsExactly(FailureCode.DKIM_BODY_LENGTH);
        assertThat(check(checks, FailureCode.DKIM_BODY_LENGTH).detail()).isEqualTo("signature d=\"example.test\" s=\"s2048\":"
                + " l=105 signs only part of the 173-octet canonicalized body; the rest could be appended by anyone (RFC 6376 §8.2)");
        assertThat(check(checks, FailureCode.DKIM_INVALID).ok()).as("l= hides the appended text from the crypto").isTrue();
    }

    @Test
    void d13_acceptsBodyLengthCoveringTheWholeBody() throws Exception {
        byte[] signed = Dkimpy.sign(response(), SEL, "example.test", strong.pkcs1(),
                "--length", "--headers", String.join(":", SignedFields.RESPONSE_REQUIRED));

        List<Check> checks = testee.verify(signed, MessageKind.RESPONSE, USER);

        assertThat(failures(checks)).isEmpty();
        assertThat(check(checks, FailureCode.DKIM_BODY_LENGTH).detail()).endsWith("l= covers the whole body (105 octets)");
    }

    @Test
    void d15_rejectsParentDomainOfTheFromDomain() throws Exception {
        String from = "user@mail.example.test";
        byte[] mail = Dkimpy.sign(TestMails.response(from, CA), SEL, "example.test", strong.pkcs1(),
                h(SignedFields.RESPONSE_REQUIRED));

        List<Check> checks = testee.verify(mail, MessageKind.RESPONSE, from);

        assertThat(failures(checks)).containsExactly(FailureCode.DKIM_MISALIGNED);
        assertThat(check(checks, FailureCode.DKIM_MISALIGNED).detail()).isEqualTo("signature d=\"example.test\" s=\"s2048\":"
                + " d= is not the From domain \"mail.example.test\" (exact match required, RFC 8823 §3.1/§3.2)");
    }

    @Test
    void d8_rejectsSignatureOfAnotherDomain() throws Exception {
        byte[] mail = Dkimpy.sign(response(), SEL, "ca.test", strong.pkcs1(), h(SignedFields.RESPONSE_REQUIRED));

        List<Check> checks = testee.verify(mail, MessageKind.RESPONSE, USER);

        assertThat(failures(checks)).containsExactly(FailureCode.DKIM_MISALIGNED);
        assertThat(valid(MessageKind.RESPONSE, checks)).isFalse();
    }

    @Test
    void d15_comparesDomainsWithoutCaseAndAsALabels() throws Exception {
        byte[] upper = Dkimpy.sign(TestMails.response("user@EXAMPLE.Test", CA), SEL, "example.test", strong.pkcs1(),
                h(SignedFields.RESPONSE_REQUIRED));
        assertThat(failures(testee.verify(upper, MessageKind.RESPONSE, "user@EXAMPLE.Test"))).isEmpty();

        byte[] idn = Dkimpy.sign(TestMails.response("user@xn--bcher-kva.test", CA), SEL, "xn--bcher-kva.test",
                strong.pkcs1(), h(SignedFields.RESPONSE_REQUIRED));
        assertThat(failures(testee.verify(idn, MessageKind.RESPONSE, "user@bücher.test"))).isEmpty();
    }

    @Test
    void d11_rejectsTamperedHeader() throws Exception {
        String tampered = text(signedResponse()).replace("Subject: Re: ACME: ", "Subject: Re: ACME: x");

        List<Check> checks = testee.verify(bytes(tampered), MessageKind.RESPONSE, USER);

        assertThat(failures(checks)).containsExactly(FailureCode.DKIM_INVALID);
        assertThat(check(checks, FailureCode.DKIM_INVALID).detail())
                .isEqualTo("signature d=\"example.test\" s=\"s2048\": Header signature does not verify");
    }

    @Test
    void d11_rejectsTamperedBody() throws Exception {
        String tampered = text(signedResponse()).replace("LoqXcYV8q5", "LoqXcYV8q6");

        List<Check> checks = testee.verify(bytes(tampered), MessageKind.RESPONSE, USER);

        assertThat(failures(checks)).containsExactly(FailureCode.DKIM_INVALID);
        assertThat(check(checks, FailureCode.DKIM_INVALID).detail())
                .isEqualTo("signature d=\"example.test\" s=\"s2048\": Computed bodyhash is different from the expected one");
    }

    /**
     * A bare CR ending the body is content of an unterminated last line (RFC 6376 §3.4.3, §3.4.4), not a
     * line end: the body hash changes, and dkimpy agrees. jDKIM 0.3 alone dropped it (issue 14 §4's fuzzing).
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"last LF removed", "CR added after the last CRLF"})
    void d11_rejectsBodyEndingInABareCr(String how) throws Exception {
        byte[] signed = signedResponse();
        byte[] tampered = how.startsWith("last") ? Arrays.copyOf(signed, signed.length - 1)
                : Arrays.copyOf(signed, signed.length + 1);
        tampered[tampered.length - 1] = '\r';

        List<Check> checks = testee.verify(tampered, MessageKind.RESPONSE, USER);

        assertThat(failures(checks)).containsExactly(FailureCode.DKIM_INVALID);
        assertThat(check(checks, FailureCode.DKIM_INVALID).detail()).endsWith("Computed bodyhash is different from the expected one");
        assertThatThrownBy(() -> Dkimpy.verify(tampered, DNS.server())).as("dkimpy").hasMessageContaining("body hash mismatch");
        assertThat(Dkimpy.verify(signed, DNS.server()).ok()).as("dkimpy on the untouched mail").isTrue();
    }

    /**
     * A control character other than HTAB at either end of a signed field's value is kept by relaxed
     * canonicalisation (RFC 6376 §3.4.2) but dropped by jDKIM's {@code String.trim()}: jDKIM alone would verify
     * the tampered mail. Found by the CI fuzz run (ResponderFuzzTest, a Subject ending in U+001C).
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"Subject ends with U+001C, true", "Subject begins with U+000B, false", "Subject ends with a bare CR, false",
            "To ends with U+0000, true", "DKIM-Signature ends with U+001F, true"})
    void d21_refusesASignedFieldEndingInAControlCharacter(String how, boolean dkimpyRefuses) throws Exception {
        byte[] signed = signedResponse();
        String field = how.substring(0, how.indexOf(' '));
        char control = how.endsWith("bare CR") ? '\r' : (char) Integer.parseInt(how.substring(how.length() - 4), 16);
        byte[] tampered = insertInField(signed, field, how.contains("begins"), control);

        List<Check> checks = testee.verify(tampered, MessageKind.RESPONSE, USER);

        assertThat(failures(checks)).containsExactly(FailureCode.DKIM_INVALID);
        assertThat(check(checks, FailureCode.DKIM_INVALID).detail()).contains(String.format(Locale.ROOT,
                "begins or ends with control character U+%04X", (int) control)).endsWith("not verified (D21)");
        // dkimpy strips with Python's bytes.strip(), which drops VT, FF and CR as jDKIM does: it verifies those
        assertThat(dkimpyRefuses(tampered)).as("dkimpy refuses").isEqualTo(dkimpyRefuses);
    }

    /** dkimpy's answer: a failed verification, or an exception on a field it cannot read. */
    private static boolean dkimpyRefuses(byte[] mail) throws InterruptedException {
        try {
            return !Dkimpy.verify(mail, DNS.server()).ok();
        } catch (IOException e) {
            assertThat(e).hasMessageContaining("Traceback");
            return true;
        }
    }

    /**
     * A header line that is not a field (no name before its colon, a space in the name, no colon) is left
     * out of the hash by jDKIM, while dkimpy cannot read the header at all. Found by the CI fuzz run
     * (ResponseProcessorFuzzTest: ": ACME: …" lines added to a signed response).
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {": ACME: x", "Subject : x", "no colon here", "X-\u00e9t\u00e9: x"})
    void d21_refusesAHeaderWithALineThatIsNotAField(String line) throws Exception {
        String mail = new String(signedResponse(), StandardCharsets.ISO_8859_1);
        int body = mail.indexOf("\r\n\r\n");
        byte[] tampered = (mail.substring(0, body + 2) + line + mail.substring(body)).getBytes(StandardCharsets.ISO_8859_1);

        List<Check> checks = testee.verify(tampered, MessageKind.RESPONSE, USER);

        assertThat(failures(checks)).containsExactly(FailureCode.DKIM_INVALID);
        assertThat(check(checks, FailureCode.DKIM_INVALID).detail()).endsWith("a line that is not a field (RFC 5322 §2.2), which DKIM"
                + " verifiers read differently: not verified (D21)");
        assertThat(dkimpyRefuses(tampered)).as("dkimpy refuses").isTrue();
    }

    /** Inside a value a control character is hashed alike by jDKIM and the RFC: only the ends are refused. */
    @Test
    void d21_acceptsAControlCharacterInsideASignedValue() throws Exception {
        String mail = new String(response(), StandardCharsets.ISO_8859_1).replaceFirst("\r\nSubject: Re: ACME: ",
                "\r\nSubject: Re: \u001c ACME: ");
        byte[] signed = Dkimpy.sign(mail.getBytes(StandardCharsets.ISO_8859_1), SEL, "example.test", strong.pkcs1(),
                h(SignedFields.RESPONSE_REQUIRED));

        List<Check> checks = testee.verify(signed, MessageKind.RESPONSE, USER);

        assertThat(failures(checks)).isEmpty();
        assertThat(Dkimpy.verify(signed, DNS.server()).ok()).as("dkimpy").isTrue();
    }

    /** {@code signed} with {@code control} put at the start or end of the value of its first {@code name} field. */
    private static byte[] insertInField(byte[] signed, String name, boolean atStart, char control) {
        String mail = new String(signed, StandardCharsets.ISO_8859_1);
        int start = mail.startsWith(name + ":") ? 0 : mail.indexOf("\r\n" + name + ":") + 2;
        assertThat(start).as("a %s field", name).isGreaterThanOrEqualTo(0);
        int at = atStart ? start + name.length() + 1 : start;
        if (!atStart) {
            // the field's end: the first CRLF not followed by folding white space
            at = mail.indexOf("\r\n", start);
            while (mail.charAt(at + 2) == ' ' || mail.charAt(at + 2) == '\t') {
                at = mail.indexOf("\r\n", at + 2);
            }
        }
        return (mail.substring(0, at) + control + mail.substring(at)).getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void d11_missingKeyIsPermanentlyInvalid() throws Exception {
        byte[] mail = Dkimpy.sign(response(), "gone", "example.test", strong.pkcs1(), h(SignedFields.RESPONSE_REQUIRED));

        List<Check> checks = testee.verify(mail, MessageKind.RESPONSE, USER);

        assertThat(failures(checks)).containsExactly(FailureCode.DKIM_INVALID);
        assertThat(check(checks, FailureCode.DKIM_INVALID).detail()).startsWith(
                "signature d=\"example.test\" s=\"gone\": no key for signature (gone._domainkey.example.test.: NXDOMAIN from 127.0.0.1:");
        assertThat(new Verdict(MessageKind.RESPONSE, checks, null, List.of()).retryable()).isFalse();
    }

    @Test
    void d11_revokedKeyIsPermanentlyInvalid() throws Exception {
        byte[] mail = Dkimpy.sign(response(), "revoked", "example.test", strong.pkcs1(), h(SignedFields.RESPONSE_REQUIRED));

        List<Check> checks = testee.verify(mail, MessageKind.RESPONSE, USER);

        assertThat(failures(checks)).containsExactly(FailureCode.DKIM_INVALID);
        assertThat(check(checks, FailureCode.DKIM_INVALID).detail()).contains("Revoked key");
    }

    @Test
    void d11_keyInTestingModeCountsAsUnsigned() throws Exception {
        byte[] mail = Dkimpy.sign(response(), "testing", "example.test", strong.pkcs1(), h(SignedFields.RESPONSE_REQUIRED));

        List<Check> checks = testee.verify(mail, MessageKind.RESPONSE, USER);

        assertThat(failures(checks)).containsExactly(FailureCode.DKIM_INVALID);
        assertThat(check(checks, FailureCode.DKIM_INVALID).detail()).isEqualTo("signature d=\"example.test\" s=\"testing\":"
                + " the key record is in testing mode (t=y), which verifiers MUST treat as unsigned (RFC 6376 §3.6.1)");
    }

    @Test
    void d16_unreachableDnsServerIsATemporaryError() throws Exception {
        DkimPolicyVerifier closedPort = verifier("127.0.0.1:" + FreePorts.udp());

        List<Check> checks = closedPort.verify(signedResponse(), MessageKind.RESPONSE, USER);

        assertThat(failures(checks)).containsExactly(FailureCode.DKIM_TEMPERROR);
        assertThat(check(checks, FailureCode.DKIM_TEMPERROR).detail())
                .startsWith("signature d=\"example.test\" s=\"s2048\": key lookup failed temporarily (")
                .endsWith("; retry later (D16)");
        Verdict verdict = new Verdict(MessageKind.RESPONSE, checks, null, List.of());
        assertThat(verdict.valid()).isFalse();
        assertThat(verdict.retryable()).isTrue();
    }

    @Test
    void d16_silentDnsServerIsATemporaryErrorWithinTheBudget() throws Exception {
        try (DatagramSocket silent = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            DkimPolicyVerifier testee = verifier("127.0.0.1:" + silent.getLocalPort());
            long start = System.nanoTime();

            List<Check> checks = testee.verify(signedResponse(), MessageKind.RESPONSE, USER);

            System.out.printf("silent DNS server: dkim-temperror after %d ms%n", (System.nanoTime() - start) / 1_000_000);
            assertThat(failures(checks)).containsExactly(FailureCode.DKIM_TEMPERROR);
        }
    }

    @Test
    void d16_servfailIsATemporaryError() throws Exception {
        try (ServfailServer servfail = new ServfailServer()) {
            List<Check> checks = verifier(servfail.server()).verify(signedResponse(), MessageKind.RESPONSE, USER);

            assertThat(failures(checks)).containsExactly(FailureCode.DKIM_TEMPERROR);
            assertThat(check(checks, FailureCode.DKIM_TEMPERROR).detail()).contains("answered SERVFAIL");
        }
    }

    @Test
    void c15_unsignedMailIsDkimNoneEvenWithForgedAuthenticationResults() {
        String forged = "Authentication-Results: mx.ca.test; dkim=pass header.d=example.test header.s=s2048\r\n"
                + text(response());

        List<Check> checks = testee.verify(bytes(forged), MessageKind.RESPONSE, USER);

        assertThat(checks).containsExactly(Check.fail(FailureCode.DKIM_NONE,
                "no DKIM-Signature header field (Authentication-Results fields are not trusted)"));
    }

    @Test
    void d15_oneAcceptableSignatureAmongSeveralSuffices() throws Exception {
        byte[] foreign = Dkimpy.sign(response(), SEL, "ca.test", strong.pkcs1(), h(SignedFields.RESPONSE_REQUIRED));
        byte[] both = Dkimpy.sign(foreign, SEL, "example.test", strong.pkcs1(), h(SignedFields.RESPONSE_REQUIRED));
        byte[] reversed = Dkimpy.sign(Dkimpy.sign(response(), SEL, "example.test", strong.pkcs1(),
                h(SignedFields.RESPONSE_REQUIRED)), SEL, "ca.test", strong.pkcs1(), h(SignedFields.RESPONSE_REQUIRED));

        for (byte[] mail : List.of(both, reversed)) {
            List<Check> checks = testee.verify(mail, MessageKind.RESPONSE, USER);
            assertThat(failures(checks)).isEmpty();
            assertThat(check(checks, FailureCode.DKIM_INVALID).detail()).startsWith("signature d=\"example.test\"")
                    .contains("of 2)");
        }
    }

    @Test
    void d15_reportsTheBestOfSeveralFailingSignatures() throws Exception {
        byte[] sha1 = Dkimpy.sign(response(), SEL, "example.test", strong.pkcs1(),
                "--alg", "rsa-sha1", "--headers", String.join(":", SignedFields.RESPONSE_REQUIRED));
        byte[] mail = Dkimpy.dkimsign(sha1, SEL, "ca.test", strong.pkcs1());

        List<Check> checks = testee.verify(mail, MessageKind.RESPONSE, USER);

        assertThat(failures(checks)).containsExactly(FailureCode.DKIM_SHA1);
        assertThat(testee.evaluate(mail, MessageKind.RESPONSE, USER)).hasSize(2);
    }

    static Stream<Arguments> malformed() {
        String tenThousand = String.join(":", java.util.Collections.nCopies(10_000, "from"));
        String threeHundred = String.join(":", java.util.Collections.nCopies(300, "from"));
        return Stream.of(
                Arguments.of("duplicate tag", "; s=s2048;", "; s=s2048; s=s2048;", "duplicate tag s="),
                Arguments.of("bad base64 in b=", " b=", " b=!!!!", "b= is not base64"),
                Arguments.of("bad base64 in bh=", " bh=", " bh=%", "bh= is not base64"),
                Arguments.of("absurd l=", " q=dns/txt;", " l=99999999999999999999999999999; q=dns/txt;", "l="),
                Arguments.of("negative l=", " q=dns/txt;", " l=-5; q=dns/txt;", "l= is not 1 to 76 digits"),
                Arguments.of("10,000-entry h=", " h=from : ", " h=" + tenThousand + ":", "over the limit of 16384"),
                Arguments.of("300-entry h=", " h=from : ", " h=" + threeHundred + ":", "h= names more than 256 fields"),
                Arguments.of("unknown algorithm", "a=rsa-sha256", "a=ed448-sha256", "is not supported"),
                Arguments.of("algorithm without hash", "a=rsa-sha256", "a=rsa", "is not supported"),
                Arguments.of("missing d=", " d=example.test;", "", "required tag d= is missing"),
                Arguments.of("i= outside d=", " i=@example.test;", " i=@evil.test;", "i= domain is not d="),
                Arguments.of("version 2", "v=1;", "v=2;", "v= is not 1"),
                Arguments.of("no equals sign", " q=dns/txt;", " q=dns/txt; garbage;", "tag-spec without '='"),
                Arguments.of("huge field", " q=dns/txt;", " q=dns/txt; z=" + "A".repeat(20_000) + ";", "over the limit"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void d11_malformedSignatureGivesAVerdictNotAnException(String name, String find, String replace, String reason)
            throws Exception {
        String signed = text(signedResponse());
        assertThat(signed).contains(find);
        String broken = signed.replaceFirst(java.util.regex.Pattern.quote(find),
                java.util.regex.Matcher.quoteReplacement(replace));

        List<Check> checks = testee.verify(bytes(broken), MessageKind.RESPONSE, USER);

        List<FailureCode> failed = failures(checks);
        assertThat(failed).isNotEmpty();
        assertThat(valid(MessageKind.RESPONSE, checks)).isFalse();
        Check invalid = check(checks, failed.contains(FailureCode.DKIM_BODY_LENGTH) ? FailureCode.DKIM_BODY_LENGTH
                : FailureCode.DKIM_INVALID);
        assertThat(invalid.ok()).isFalse();
        assertThat(invalid.detail()).contains(reason);
    }

    @Test
    void d11_manySignaturesAreCappedAndStillGiveAVerdict() throws Exception {
        String one = text(signedResponse());
        String field = one.substring(0, one.indexOf("From: "));
        String mail = field.replace("s=s2048", "s=gone").repeat(40) + one;

        List<SignatureResult> results = testee.evaluate(bytes(mail), MessageKind.RESPONSE, USER);

        assertThat(results).hasSize(DkimPolicyVerifier.MAX_SIGNATURES);
        assertThat(results).noneMatch(SignatureResult::acceptable);
    }

    /** A UDP DNS server that answers every query with SERVFAIL. */
    static final class ServfailServer implements AutoCloseable {
        private final DatagramSocket socket;
        private final Thread thread;

        ServfailServer() throws Exception {
            socket = new DatagramSocket(0, InetAddress.getLoopbackAddress());
            thread = new Thread(() -> {
                byte[] buf = new byte[512];
                while (!socket.isClosed()) {
                    try {
                        DatagramPacket in = new DatagramPacket(buf, buf.length);
                        socket.receive(in);
                        org.xbill.DNS.Message q = new org.xbill.DNS.Message(java.util.Arrays.copyOf(in.getData(), in.getLength()));
                        org.xbill.DNS.Message r = new org.xbill.DNS.Message(q.getHeader().getID());
                        r.getHeader().setFlag(org.xbill.DNS.Flags.QR);
                        r.getHeader().setRcode(org.xbill.DNS.Rcode.SERVFAIL);
                        r.addRecord(q.getQuestion(), org.xbill.DNS.Section.QUESTION);
                        byte[] out = r.toWire();
                        socket.send(new DatagramPacket(out, out.length, in.getSocketAddress()));
                    } catch (Exception e) {
                        // closed
                    }
                }
            });
            thread.setDaemon(true);
            thread.start();
        }

        String server() {
            return "127.0.0.1:" + socket.getLocalPort();
        }

        @Override
        public void close() {
            socket.close();
        }
    }

}
