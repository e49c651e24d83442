package dev.acmesmime.dkim;

import static dev.acmesmime.dkim.TestMails.bytes;
import static dev.acmesmime.dkim.TestMails.text;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.acmesmime.metrics.MetricNames;
import dev.acmesmime.rfc8823.Check;
import dev.acmesmime.rfc8823.FailureCode;
import dev.acmesmime.rfc8823.MessageKind;
import dev.acmesmime.rfc8823.Verdict;
import dev.acmesmime.testing.DkimDns;
import dev.acmesmime.testing.Dkimpy;
import dev.acmesmime.testing.FreePorts;
import dev.acmesmime.testing.RecordingMetrics;
import dev.acmesmime.testing.TestKeys;

/**
 * {@link DkimPolicyVerifier} on {@code a=ed25519-sha256} (RFC 8463): mails signed by dkimpy
 * (python3-nacl), keys served by a real dnsmasq as RFC 8463 §4.2 publishes them. The RFC 8823
 * policy is the same as for RSA, so the D rules are checked again here for Ed25519.
 */
@Timeout(120) // hang guard only
class Ed25519VerificationTest {

    static final String USER = "user@example.test";
    static final String CA = "acme@ca.test";
    static final String SEL = "ed";

    @RegisterExtension
    static final DkimDns DNS = DkimDns.keys(k -> k.ed25519("ed").rsa("rsa", 2048))
            .publish(SEL, "example.test", "ed")
            .publish(SEL, "ca.test", "ed")
            .publish("rsa", "example.test", "rsa")
            .txt("revoked", "example.test", d -> "v=DKIM1; k=ed25519; p=")
            .txt("short", "example.test", d -> "v=DKIM1; k=ed25519; p=AAAAAAAAAAAAAAAAAAAAAAAAAAAA")
            .txt("testing", "example.test", d -> d.key("ed").record().replace("k=ed25519;", "k=ed25519; t=y;"));
    static TestKeys ed;
    static DkimPolicyVerifier testee;

    @BeforeAll
    static void keys() {
        ed = DNS.key("ed");
        testee = verifier(DNS.server());
    }

    static DkimPolicyVerifier verifier(String server) {
        return DkimPolicyVerifier.builder().keyResolver(DkimKeyResolver.builder().server(server).build()).build();
    }

    static byte[] signed(byte[] mail, String selector, String domain, List<String> h, String... more) throws Exception {
        String[] options = new String[2 + more.length + 2];
        options[0] = "--alg";
        options[1] = "ed25519-sha256";
        System.arraycopy(more, 0, options, 2, more.length);
        System.arraycopy(Dkimpy.headers(h), 0, options, 2 + more.length, 2);
        return Dkimpy.sign(mail, selector, domain, ed.dkimpy(), options);
    }

    static byte[] response() throws Exception {
        return signed(TestMails.response(USER, CA), SEL, "example.test", SignedFields.RESPONSE_REQUIRED);
    }

    static List<FailureCode> failures(List<Check> checks) {
        return checks.stream().filter(c -> !c.ok()).map(Check::code).toList();
    }

    static Check check(List<Check> checks, FailureCode code) {
        return checks.stream().filter(c -> c.code() == code).findFirst()
                .orElseThrow(() -> new AssertionError("no " + code + " check in " + checks));
    }

    @Test
    void d7_acceptsResponseSignedByDkimpyWithEd25519() throws Exception {
        byte[] mail = response();
        assertThat(text(mail)).contains("a=ed25519-sha256");

        List<SignatureResult> results = testee.evaluate(mail, MessageKind.RESPONSE, USER);

        assertThat(results).hasSize(1);
        SignatureResult r = results.get(0);
        assertThat(r.acceptable()).as("%s", r.checks()).isTrue();
        assertThat(r.algorithm()).isEqualTo("ed25519-sha256");
        assertThat(r.keyBits()).isEqualTo(256);
        assertThat(check(r.checks(), FailureCode.DKIM_INVALID).detail())
                .isEqualTo("signature d=\"example.test\" s=\"ed\": signature verifies (a=ed25519-sha256, 256-bit key)");
        assertThat(check(r.checks(), FailureCode.DKIM_WEAK_KEY).detail()).endsWith("Ed25519 key (RFC 8463)");
        assertThat(new Verdict(MessageKind.RESPONSE, r.checks(), null, List.of()).valid()).isTrue();
    }

    @Test
    void d2_acceptsChallengeSignedWithSimpleCanonicalisation() throws Exception {
        byte[] mail = signed(TestMails.challenge(CA, USER), SEL, "ca.test", SignedFields.CHALLENGE_REQUIRED,
                "--hcanon", "simple", "--bcanon", "simple");

        List<Check> checks = testee.verify(mail, MessageKind.CHALLENGE, CA);

        assertThat(failures(checks)).isEmpty();
    }

    @Test
    void d7_samePolicy_headerListAlignmentAndBodyLength() throws Exception {
        byte[] shortList = signed(TestMails.response(USER, CA), SEL, "example.test",
                SignedFields.RESPONSE_REQUIRED.stream().filter(n -> !n.equals("References")).toList());
        List<Check> headers = testee.verify(shortList, MessageKind.RESPONSE, USER);
        assertThat(failures(headers)).containsExactly(FailureCode.DKIM_HEADERS);
        assertThat(check(headers, FailureCode.DKIM_INVALID).ok()).as("the signature itself verifies").isTrue();

        byte[] foreign = signed(TestMails.response(USER, CA), SEL, "ca.test", SignedFields.RESPONSE_REQUIRED);
        assertThat(failures(testee.verify(foreign, MessageKind.RESPONSE, USER)))
                .containsExactly(FailureCode.DKIM_MISALIGNED);

        byte[] withLength = signed(TestMails.response(USER, CA), SEL, "example.test", SignedFields.RESPONSE_REQUIRED,
                "--length");
        byte[] appended = bytes(text(withLength) + "Appended by someone else.\r\n");
        assertThat(failures(testee.verify(withLength, MessageKind.RESPONSE, USER))).isEmpty();
        assertThat(failures(testee.verify(appended, MessageKind.RESPONSE, USER)))
                .containsExactly(FailureCode.DKIM_BODY_LENGTH);
    }

    @Test
    void d11_rejectsTamperedHeaderAndBody() throws Exception {
        String mail = text(response());
        String header = mail.replace("Subject: Re: ACME: ", "Subject: Re: ACME: x");
        String body = mail.replace("LoqXcYV8q5", "LoqXcYV8q6");

        List<Check> h = testee.verify(bytes(header), MessageKind.RESPONSE, USER);
        List<Check> b = testee.verify(bytes(body), MessageKind.RESPONSE, USER);

        assertThat(failures(h)).containsExactly(FailureCode.DKIM_INVALID);
        assertThat(check(h, FailureCode.DKIM_INVALID).detail())
                .isEqualTo("signature d=\"example.test\" s=\"ed\": Header signature does not verify");
        assertThat(failures(b)).containsExactly(FailureCode.DKIM_INVALID);
        assertThat(check(b, FailureCode.DKIM_INVALID).detail())
                .isEqualTo("signature d=\"example.test\" s=\"ed\": Computed bodyhash is different from the expected one");
    }

    @Test
    void d11_keyOfTheOtherTypeRevokedCutOrTestingIsInvalid() throws Exception {
        byte[] rsaSelector = signed(TestMails.response(USER, CA), "rsa", "example.test", SignedFields.RESPONSE_REQUIRED);
        byte[] revoked = signed(TestMails.response(USER, CA), "revoked", "example.test", SignedFields.RESPONSE_REQUIRED);
        byte[] cut = signed(TestMails.response(USER, CA), "short", "example.test", SignedFields.RESPONSE_REQUIRED);
        byte[] testing = signed(TestMails.response(USER, CA), "testing", "example.test", SignedFields.RESPONSE_REQUIRED);

        assertThat(detail(rsaSelector)).contains("inappropriate key type for a=ed25519/sha256");
        assertThat(detail(revoked)).contains("Revoked key");
        assertThat(detail(cut)).contains("Ed25519");
        assertThat(detail(testing)).contains("testing mode (t=y)");
    }

    private static String detail(byte[] mail) {
        List<Check> checks = testee.verify(mail, MessageKind.RESPONSE, USER);
        assertThat(failures(checks)).contains(FailureCode.DKIM_INVALID);
        return check(checks, FailureCode.DKIM_INVALID).detail();
    }

    @Test
    void d16_keyLookupErrorsAndMetricsAreTheSameAsForRsa() throws Exception {
        byte[] mail = response();
        RecordingMetrics metrics = new RecordingMetrics();
        DkimPolicyVerifier counted = DkimPolicyVerifier.builder().metrics(metrics)
                .keyResolver(DkimKeyResolver.builder().server(DNS.server()).metrics(metrics).build()).build();
        DkimPolicyVerifier closedPort = verifier("127.0.0.1:" + FreePorts.udp());

        assertThat(failures(counted.verify(mail, MessageKind.RESPONSE, USER))).isEmpty();
        List<Check> checks = closedPort.verify(mail, MessageKind.RESPONSE, USER);

        assertThat(metrics.counters()).containsEntry(MetricNames.child(MetricNames.DKIM_KEY_LOOKUPS, "found"), 1L);
        assertThat(metrics.durations(MetricNames.DKIM_VERIFY_TIME)).hasSize(1);
        assertThat(failures(checks)).containsExactly(FailureCode.DKIM_TEMPERROR);
        assertThat(new Verdict(MessageKind.RESPONSE, checks, null, List.of()).retryable()).isTrue();
    }

    @Test
    void d15_rsaNextToEd25519_eitherSuffices() throws Exception {
        byte[] both = Dkimpy.sign(response(), "rsa", "example.test", DNS.key("rsa").dkimpy(),
                Dkimpy.headers(SignedFields.RESPONSE_REQUIRED));

        for (String broken : List.of("ed25519-sha256", "rsa-sha256")) {
            List<SignatureResult> results = testee.evaluate(breakSignature(both, broken), MessageKind.RESPONSE, USER);
            SignatureResult best = DkimPolicyVerifier.best(results);
            assertThat(best.acceptable()).as("%s", results).isTrue();
            assertThat(best.algorithm()).isNotEqualTo(broken);
        }
        List<SignatureResult> rsaBroken = testee.evaluate(breakSignature(both, "rsa-sha256"), MessageKind.RESPONSE, USER);
        assertThat(rsaBroken).extracting(SignatureResult::algorithm).containsExactly("rsa-sha256", "ed25519-sha256");
    }

    /** The mail with the first octet of the b= of the {@code a=} signature changed. */
    static byte[] breakSignature(byte[] mail, String algorithm) {
        String text = text(mail);
        int b = text.indexOf(" b=", text.indexOf("a=" + algorithm + ";")) + 3;
        char c = text.charAt(b) == 'A' ? 'B' : 'A';
        return bytes(text.substring(0, b) + c + text.substring(b + 1));
    }
}
