package dev.acmesmime.james.mailets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Properties;

import javax.mail.MessagingException;
import javax.mail.Session;
import javax.mail.internet.MimeMessage;

import org.apache.james.core.MailAddress;
import org.apache.mailet.AttributeUtils;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;
import org.apache.mailet.base.test.FakeMail;
import org.apache.mailet.base.test.FakeMailContext;
import org.apache.mailet.base.test.FakeMailetConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.acmesmime.dkim.SignedFields;
import dev.acmesmime.james.runtime.AcmeSmimeRuntime;
import dev.acmesmime.rfc8823.Check;
import dev.acmesmime.rfc8823.FailureCode;
import dev.acmesmime.rfc8823.MessageKind;
import dev.acmesmime.rfc8823.Verdict;
import dev.acmesmime.testing.Dkimpy;
import dev.acmesmime.testing.DkimDns;
import dev.acmesmime.testing.FreePorts;

/**
 * Unit tests for {@link AcmeVerdictHeader}: header, attributes and parameters, and real
 * authenticity (mails signed by Debian's dkimpy, keys served by a real dnsmasq; OpenSSL-signed
 * S/MIME challenges from core's fixtures).
 */
@Timeout(120) // hang guard only
class AcmeVerdictHeaderTest {

    /** An RFC 8823 §3.1 challenge with TV2's token-part1, correct in every respect but unsigned. */
    static final String CHALLENGE = "From: acme-challenge@ca.example\r\n"
            + "To: alice@org.example\r\n"
            + "Subject: ACME: LgYemJLy3F1LDkiJrdIGbEzyFJyOyf6vBdyZ1TG3sME=\r\n"
            + "Date: Sat, 28 Nov 2026 18:00:00 +0000\r\n"
            + "Message-ID: <challenge-1@ca.example>\r\n"
            + "Auto-Submitted: auto-generated; type=acme\r\n"
            + "MIME-Version: 1.0\r\n"
            + "Content-Type: text/plain; charset=US-ASCII\r\n"
            + "\r\n"
            + "This is an automatically generated ACME challenge for email address\r\n"
            + "\"alice@org.example\". If you have not requested an S/MIME certificate\r\n"
            + "with this email address, please ignore it.\r\n";

    /** {@link #CHALLENGE} from a CA domain our dnsmasq serves a key for. */
    static final String CA_TEST_CHALLENGE = CHALLENGE.replace("ca.example", "ca.test");
    static final String SEL = "s2048";
    static final String SMIME_FIXTURES = "/dev/acmesmime/smime/openssl/";

    @TempDir
    static Path home;
    @RegisterExtension
    static final DkimDns DNS = DkimDns.keys(k -> k.rsa("ca", 2048)).publish(SEL, "ca.test", "ca");
    static byte[] signedChallenge;

    private AcmeSmimeRuntime runtime;
    private AcmeVerdictHeader testee;

    @BeforeAll
    static void signChallenge() throws Exception {
        signedChallenge = Dkimpy.sign(CA_TEST_CHALLENGE.getBytes(StandardCharsets.US_ASCII), SEL, "ca.test",
                DNS.key("ca").pkcs1(), Dkimpy.headers(SignedFields.CHALLENGE_REQUIRED));
    }

    @BeforeEach
    void setUp() throws MessagingException {
        runtime = new AcmeSmimeRuntime(home, Clock.systemUTC());
        testee = new AcmeVerdictHeader(runtime);
        testee.init(config().build());
    }

    @Test
    void shouldAddVerdictHeaderWhenMailIsUnsignedChallenge() throws Exception {
        Mail mail = mail(CHALLENGE);

        testee.service(mail);

        assertThat(mail.getMessage().getHeader(AcmeVerdictHeader.DEFAULT_HEADER_NAME))
                .containsExactly("challenge; invalid; dkim-none");
    }

    @Test
    void shouldSetAttributesWhenMailIsUnsignedChallenge() throws Exception {
        Mail mail = mail(CHALLENGE);

        testee.service(mail);

        assertThat(AttributeUtils.getValueAndCastFromMail(mail, AcmeVerdictHeader.KIND_ATTRIBUTE, String.class))
                .contains("challenge");
        assertThat(AttributeUtils.getValueAndCastFromMail(mail, AcmeVerdictHeader.VALID_ATTRIBUTE, Boolean.class))
                .contains(false);
        assertThat(mail.getAttribute(AcmeVerdictHeader.FAILURES_ATTRIBUTE))
                .hasValueSatisfying(a -> assertThat(a.getValue()).isEqualTo(AttributeValue.of(List.of(AttributeValue.of("dkim-none")))));
    }

    @Test
    void shouldReplaceVerdictHeaderWhenSenderForgedOne() throws Exception {
        Mail mail = mail("X-Acme-Smime-Verdict: challenge; valid\r\n" + CHALLENGE);

        testee.service(mail);

        assertThat(mail.getMessage().getHeader(AcmeVerdictHeader.DEFAULT_HEADER_NAME))
                .containsExactly("challenge; invalid; dkim-none");
    }

    @Test
    void shouldUseConfiguredHeaderNameWhenGiven() throws Exception {
        testee.init(config().setProperty(AcmeVerdictHeader.HEADER_NAME_PARAMETER, "X-Test-Verdict").build());
        Mail mail = mail(CHALLENGE);

        testee.service(mail);

        assertThat(mail.getMessage().getHeader("X-Test-Verdict")).containsExactly("challenge; invalid; dkim-none");
        assertThat(mail.getMessage().getHeader(AcmeVerdictHeader.DEFAULT_HEADER_NAME)).isNull();
    }

    @Test
    void shouldKeepStateAndRecipientsWhenServicing() throws Exception {
        Mail mail = mail(CHALLENGE);
        mail.setState("local-delivery");

        testee.service(mail);

        assertThat(mail.getState()).isEqualTo("local-delivery");
        assertThat(mail.getRecipients()).containsExactly(new MailAddress("alice@org.example"));
    }

    @Test
    void shouldClassifyAsOtherWhenMailIsOrdinary() throws Exception {
        Mail mail = mail("From: bob@org.example\r\nTo: alice@org.example\r\nSubject: lunch?\r\n\r\nat noon\r\n");

        testee.service(mail);

        assertThat(mail.getMessage().getHeader(AcmeVerdictHeader.DEFAULT_HEADER_NAME)[0]).startsWith("other; invalid");
        assertThat(AttributeUtils.getValueAndCastFromMail(mail, AcmeVerdictHeader.KIND_ATTRIBUTE, String.class))
                .contains("other");
    }

    @Test
    void shouldNotThrowWhenMailIsGarbage() throws Exception {
        Mail mail = mail("Subject: ACME: x\r\nContent-Type: multipart/mixed; boundary=\"nope\"\r\n\r\n\u0000\u0001 not mime\r\n--nope\r\n");

        testee.service(mail);

        assertThat(mail.getMessage().getHeader(AcmeVerdictHeader.DEFAULT_HEADER_NAME)[0]).contains("invalid");
    }

    @Test
    void shouldRenderKindValidityAndFailuresWhenThereAreFailures() {
        Verdict verdict = new Verdict(MessageKind.RESPONSE, List.of(
                Check.fail(FailureCode.DIGEST_MISMATCH, "d"),
                Check.fail(FailureCode.DKIM_MISALIGNED, "d")), null, List.of());

        assertThat(AcmeVerdictHeader.headerValue(verdict)).isEqualTo("response; invalid; digest-mismatch,dkim-misaligned");
    }

    @Test
    void shouldOmitFailuresWhenThereAreNone() {
        Verdict verdict = new Verdict(MessageKind.CHALLENGE, List.of(
                Check.pass(FailureCode.SUBJECT_SYNTAX, "ok"),
                Check.pass(FailureCode.DKIM_INVALID, "ok")), null, List.of());

        assertThat(AcmeVerdictHeader.headerValue(verdict)).isEqualTo("challenge; valid");
    }

    @Test
    void d2_shouldBeValidWhenChallengeIsSignedByDkimpyWithKeyFromConfiguredDnsServer() throws Exception {
        testee.init(config().setProperty(AcmeVerdictHeader.DNS_SERVER_PARAMETER, DNS.server()).build());
        Mail mail = mail(new String(signedChallenge, StandardCharsets.US_ASCII));

        testee.service(mail);

        assertThat(mail.getMessage().getHeader(AcmeVerdictHeader.DEFAULT_HEADER_NAME)).containsExactly("challenge; valid");
        assertThat(AttributeUtils.getValueAndCastFromMail(mail, AcmeVerdictHeader.VALID_ATTRIBUTE, Boolean.class))
                .contains(true);
    }

    @Test
    void d2_shouldBeDkimInvalidWhenSignedChallengeWasTampered() throws Exception {
        testee.init(config().setProperty(AcmeVerdictHeader.DNS_SERVER_PARAMETER, DNS.server()).build());
        Mail mail = mail(new String(signedChallenge, StandardCharsets.US_ASCII).replace("please ignore it", "please reply"));

        testee.service(mail);

        assertThat(mail.getMessage().getHeader(AcmeVerdictHeader.DEFAULT_HEADER_NAME))
                .containsExactly("challenge; invalid; dkim-invalid");
    }

    @Test
    void d17_shouldIgnoreAuthenticationResultsClaimingDkimPass() throws Exception {
        testee.init(config().setProperty(AcmeVerdictHeader.DNS_SERVER_PARAMETER, DNS.server()).build());
        Mail mail = mail("Authentication-Results: mx.org.example; dkim=pass header.d=ca.test\r\n" + CA_TEST_CHALLENGE);

        testee.service(mail);

        assertThat(mail.getMessage().getHeader(AcmeVerdictHeader.DEFAULT_HEADER_NAME))
                .containsExactly("challenge; invalid; dkim-none");
    }

    @Test
    void d16_shouldBeTemperrorWhenDnsServerDoesNotAnswer() throws Exception {
        testee.init(config().setProperty(AcmeVerdictHeader.DNS_SERVER_PARAMETER, "127.0.0.1:" + FreePorts.udp())
                .build());
        Mail mail = mail(new String(signedChallenge, StandardCharsets.US_ASCII));

        testee.service(mail);

        assertThat(mail.getMessage().getHeader(AcmeVerdictHeader.DEFAULT_HEADER_NAME))
                .containsExactly("challenge; invalid; dkim-temperror");
    }

    @Test
    void c17_shouldBeValidWhenChallengeIsSmimeSignedByConfiguredTrustAnchor() throws Exception {
        Path anchors = home.resolve("openssl-root.pem");
        Files.write(anchors, resource("openssl-root.pem"));
        testee = new AcmeVerdictHeader(new AcmeSmimeRuntime(home, FIXTURE_CLOCK));
        // relative to James's working directory
        testee.init(config().setProperty(AcmeVerdictHeader.SMIME_TRUST_ANCHORS_PARAMETER, "openssl-root.pem").build());
        Mail mail = mail(new String(resource("c17-openssl-multipart-signed.eml"), StandardCharsets.ISO_8859_1));

        testee.service(mail);

        assertThat(mail.getMessage().getHeader(AcmeVerdictHeader.DEFAULT_HEADER_NAME)).containsExactly("challenge; valid");
    }

    @Test
    void c15_shouldBeUntrustedWhenSmimeSignerDoesNotChainToJdkCacerts() throws Exception {
        testee = new AcmeVerdictHeader(new AcmeSmimeRuntime(home, FIXTURE_CLOCK));
        testee.init(config().build());
        Mail mail = mail(new String(resource("c17-openssl-multipart-signed.eml"), StandardCharsets.ISO_8859_1));

        testee.service(mail);

        assertThat(mail.getMessage().getHeader(AcmeVerdictHeader.DEFAULT_HEADER_NAME)[0])
                .startsWith("challenge; invalid; ").contains("smime-untrusted");
    }

    @Test
    void c15_noneMeansDkimAloneAsInTheResponder() throws Exception {
        testee = new AcmeVerdictHeader(new AcmeSmimeRuntime(home, FIXTURE_CLOCK));
        testee.init(config().setProperty(AcmeVerdictHeader.SMIME_TRUST_ANCHORS_PARAMETER, "none").build());
        Mail mail = mail(new String(resource("c17-openssl-multipart-signed.eml"), StandardCharsets.ISO_8859_1));

        testee.service(mail);

        assertThat(mail.getMessage().getHeader(AcmeVerdictHeader.DEFAULT_HEADER_NAME)[0])
                .startsWith("challenge; invalid; ").contains("dkim-").doesNotContain("smime-");
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1:99999", "127.0.0.1:port", "[::1", ":53"})
    void shouldFailInitWhenDnsServerIsInvalid(String dnsServer) {
        AcmeVerdictHeader mailet = new AcmeVerdictHeader(runtime);

        assertThatThrownBy(() -> mailet.init(config().setProperty(AcmeVerdictHeader.DNS_SERVER_PARAMETER, dnsServer).build()))
                .isInstanceOf(MessagingException.class)
                .hasMessageContaining("'dnsServer'");
    }

    @Test
    void shouldFailInitWhenTrustAnchorFileIsMissingOrHoldsNoCertificate() throws Exception {
        Path notPem = Files.writeString(home.resolve("not-a-certificate.pem"), "hello\n");

        for (String file : List.of("no-such-anchors.pem", notPem.toString())) {
            AcmeVerdictHeader mailet = new AcmeVerdictHeader(runtime);
            assertThatThrownBy(() -> mailet.init(config().setProperty(AcmeVerdictHeader.SMIME_TRUST_ANCHORS_PARAMETER, file).build()))
                    .as(file)
                    .isInstanceOf(MessagingException.class)
                    .hasMessageContaining("'smimeTrustAnchors'");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "X Verdict", "X-Verdict:", "X-Verdikt\u00e4"})
    void shouldFailInitWhenHeaderNameIsInvalid(String headerName) {
        AcmeVerdictHeader mailet = new AcmeVerdictHeader(runtime);

        assertThatThrownBy(() -> mailet.init(config().setProperty(AcmeVerdictHeader.HEADER_NAME_PARAMETER, headerName).build()))
                .isInstanceOf(MessagingException.class)
                .hasMessageContaining("'headerName'");
    }

    @Test
    void shouldFailInitWhenParameterIsUnknown() {
        AcmeVerdictHeader mailet = new AcmeVerdictHeader(runtime);

        assertThatThrownBy(() -> mailet.init(config().setProperty("headername", "X-A").build()))
                .isInstanceOf(MessagingException.class)
                .hasMessageContaining("headername");
    }

    /** Inside the validity of the OpenSSL fixture certificates (made 2026-11-28, valid 3000 days). */
    static final Clock FIXTURE_CLOCK = Clock.fixed(Instant.parse("2027-06-01T00:00:00Z"), ZoneOffset.UTC);

    private static byte[] resource(String name) throws Exception {
        try (InputStream in = AcmeVerdictHeaderTest.class.getResourceAsStream(SMIME_FIXTURES + name)) {
            assertThat(in).as(name).isNotNull();
            return in.readAllBytes();
        }
    }

    private static FakeMailetConfig.Builder config() {
        return FakeMailetConfig.builder()
                .mailetName("AcmeVerdictHeader")
                .mailetContext(FakeMailContext.defaultContext());
    }

    private static Mail mail(String raw) throws Exception {
        MimeMessage message = new MimeMessage(Session.getInstance(new Properties()),
                new ByteArrayInputStream(raw.getBytes(StandardCharsets.ISO_8859_1)));
        return FakeMail.builder().name("mail1")
                .mimeMessage(message)
                .sender("acme-challenge@ca.example")
                .recipient("alice@org.example")
                .build();
    }
}
