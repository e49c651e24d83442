package dev.acmesmime.smime;

import static dev.acmesmime.smime.SignedChallenge.FROM;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.acmesmime.rfc8823.AuthenticityVerifier;
import dev.acmesmime.rfc8823.Check;
import dev.acmesmime.rfc8823.ExtractedValues;
import dev.acmesmime.rfc8823.FailureCode;
import dev.acmesmime.rfc8823.MessageKind;
import dev.acmesmime.rfc8823.Verdict;

/** DKIM or S/MIME for challenges (C15, D1), DKIM only for responses (R15, D6). */
class CompositeAuthenticityVerifierTest {

    private static final Check DKIM_NONE = Check.fail(FailureCode.DKIM_NONE, "no DKIM-Signature header field");
    private static final Check DKIM_PASS = Check.pass(FailureCode.DKIM_INVALID, "d=example.org s=sel verified");
    private static final Check DKIM_TEMP = Check.fail(FailureCode.DKIM_TEMPERROR, "key lookup timed out");

    private static TestPki pki;
    private static SmimeChallengeVerifier smime;
    private static byte[] validSmime;
    private static byte[] untrustedSmime;
    private static final byte[] PLAIN = ("From: " + FROM + "\r\nTo: alexey@example.com\r\nSubject: ACME: x\r\n"
            + "Content-Type: text/plain\r\n\r\nhello\r\n").getBytes(StandardCharsets.US_ASCII);

    @BeforeAll
    static void setUp() throws Exception {
        pki = new TestPki("Composite CA");
        TestPki other = new TestPki("Untrusted CA");
        smime = SmimeChallengeVerifier.builder()
                .trustAnchors(List.of(pki.root.cert()))
                .clock(Clock.fixed(TestPki.NOW, ZoneOffset.UTC))
                .build();
        validSmime = new SignedChallenge(pki, pki.signer(FROM)).build();
        untrustedSmime = new SignedChallenge(other, other.signer(FROM)).build();
    }

    /** A DKIM verifier stand-in that records each call and answers fixed checks. */
    private static final class FakeDkim implements AuthenticityVerifier {
        final List<MessageKind> calls = new ArrayList<>();
        final List<Check> answer;

        FakeDkim(Check... answer) {
            this.answer = List.of(answer);
        }

        @Override
        public List<Check> verify(byte[] raw, MessageKind kind, String from) {
            calls.add(kind);
            return answer;
        }
    }

    private static boolean valid(List<Check> checks) {
        return new Verdict(MessageKind.CHALLENGE, checks, ExtractedValues.NONE, List.of()).valid();
    }

    @Test
    void c15_validSmimeChallengeWithoutDkimIsAuthenticAndDkimIsNotConsulted() {
        FakeDkim dkim = new FakeDkim(DKIM_NONE);

        List<Check> checks = CompositeAuthenticityVerifier.dkimOrSmime(dkim, smime)
                .verify(validSmime, MessageKind.CHALLENGE, FROM);

        assertThat(checks).extracting(Check::code).containsExactly(FailureCode.SMIME_INVALID,
                FailureCode.SMIME_UNTRUSTED, FailureCode.SMIME_SIGNER_MISMATCH, FailureCode.SMIME_HEADERS_UNPROTECTED);
        assertThat(checks).allMatch(Check::ok);
        assertThat(valid(checks)).isTrue();
        assertThat(dkim.calls).isEmpty();
    }

    @Test
    void c15_unsignedChallengeGoesToDkimOnly() {
        FakeDkim dkim = new FakeDkim(DKIM_PASS);

        List<Check> checks = CompositeAuthenticityVerifier.dkimOrSmime(dkim, smime)
                .verify(PLAIN, MessageKind.CHALLENGE, FROM);

        assertThat(checks).containsExactly(DKIM_PASS);
        assertThat(dkim.calls).containsExactly(MessageKind.CHALLENGE);
    }

    @Test
    void c15_unsignedChallengeWithoutDkimReportsOnlyDkimNone() {
        List<Check> checks = CompositeAuthenticityVerifier.dkimOrSmime(new FakeDkim(DKIM_NONE), smime)
                .verify(PLAIN, MessageKind.CHALLENGE, FROM);

        assertThat(checks).containsExactly(DKIM_NONE);
        assertThat(valid(checks)).isFalse();
    }

    @Test
    void c15_failedSmimeButValidDkimIsAuthenticByDkim() {
        FakeDkim dkim = new FakeDkim(DKIM_PASS);

        List<Check> checks = CompositeAuthenticityVerifier.dkimOrSmime(dkim, smime)
                .verify(untrustedSmime, MessageKind.CHALLENGE, FROM);

        assertThat(checks).containsExactly(DKIM_PASS);
        assertThat(valid(checks)).isTrue();
    }

    @Test
    void c15_neitherPathProvesItSoBothAreReported() {
        List<Check> checks = CompositeAuthenticityVerifier.dkimOrSmime(new FakeDkim(DKIM_NONE), smime)
                .verify(untrustedSmime, MessageKind.CHALLENGE, FROM);

        assertThat(checks.stream().filter(c -> !c.ok()).map(Check::code))
                .containsExactly(FailureCode.SMIME_UNTRUSTED, FailureCode.DKIM_NONE);
        assertThat(checks).extracting(Check::code).containsExactly(FailureCode.SMIME_INVALID, FailureCode.SMIME_UNTRUSTED,
                FailureCode.SMIME_SIGNER_MISMATCH, FailureCode.SMIME_HEADERS_UNPROTECTED, FailureCode.DKIM_NONE);
        assertThat(valid(checks)).isFalse();
    }

    @Test
    void c15_dkimTemperrorNextToSmimeFailureIsReportedWithIt() {
        List<Check> checks = CompositeAuthenticityVerifier.dkimOrSmime(new FakeDkim(DKIM_TEMP), smime)
                .verify(untrustedSmime, MessageKind.CHALLENGE, FROM);

        Verdict v = new Verdict(MessageKind.CHALLENGE, checks, ExtractedValues.NONE, List.of());
        assertThat(v.failureCodes()).containsExactly(FailureCode.SMIME_UNTRUSTED, FailureCode.DKIM_TEMPERROR);
        assertThat(v.retryable()).as("documented: S/MIME failure is final, so not retryable").isFalse();
    }

    @Test
    void d6_responseIsDkimOnlyEvenWhenSmimeSigned() {
        FakeDkim dkim = new FakeDkim(DKIM_NONE);

        List<Check> checks = CompositeAuthenticityVerifier.dkimOrSmime(dkim, smime)
                .verify(validSmime, MessageKind.RESPONSE, FROM);

        assertThat(checks).containsExactly(DKIM_NONE);
        assertThat(dkim.calls).containsExactly(MessageKind.RESPONSE);
    }

    @Test
    void c15_aPathWithAFailingPolicyCheckDoesNotProve() {
        // cryptography passed, policy did not: such a path is not chosen
        Check misaligned = Check.fail(FailureCode.DKIM_MISALIGNED, "d=other.example");
        assertThat(CompositeAuthenticityVerifier.proves(List.of(DKIM_PASS, misaligned))).isFalse();
        assertThat(CompositeAuthenticityVerifier.proves(List.of(Check.pass(FailureCode.DKIM_HEADERS, "h= ok")))).isFalse();
        assertThat(CompositeAuthenticityVerifier.proves(List.of())).isFalse();
        assertThat(CompositeAuthenticityVerifier.proves(List.of(DKIM_PASS))).isTrue();
    }
}
