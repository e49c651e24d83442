package dev.acmesmime.james.mailets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.acmesmime.rfc8823.Check;
import dev.acmesmime.rfc8823.FailureCode;
import dev.acmesmime.rfc8823.MessageKind;
import dev.acmesmime.rfc8823.Verdict;

/** Unit tests for {@link AcmeVerdictHeader}. */
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

    private AcmeVerdictHeader testee;

    @BeforeEach
    void setUp() throws MessagingException {
        testee = new AcmeVerdictHeader();
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

    @ParameterizedTest
    @ValueSource(strings = {"", "X Verdict", "X-Verdict:", "X-Verdikt\u00e4"})
    void shouldFailInitWhenHeaderNameIsInvalid(String headerName) {
        AcmeVerdictHeader mailet = new AcmeVerdictHeader();

        assertThatThrownBy(() -> mailet.init(config().setProperty(AcmeVerdictHeader.HEADER_NAME_PARAMETER, headerName).build()))
                .isInstanceOf(MessagingException.class)
                .hasMessageContaining("'headerName'");
    }

    @Test
    void shouldFailInitWhenParameterIsUnknown() {
        AcmeVerdictHeader mailet = new AcmeVerdictHeader();

        assertThatThrownBy(() -> mailet.init(config().setProperty("headername", "X-A").build()))
                .isInstanceOf(MessagingException.class)
                .hasMessageContaining("headername");
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
