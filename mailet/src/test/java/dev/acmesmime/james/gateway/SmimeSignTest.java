package dev.acmesmime.james.gateway;

import static dev.acmesmime.james.gateway.FakeGateway.ALICE;
import static dev.acmesmime.james.gateway.FakeGateway.BOB;
import static dev.acmesmime.james.gateway.FakeGateway.mail;
import static dev.acmesmime.james.gateway.FakeGateway.message;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;

import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeUtils;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;
import org.apache.mailet.base.test.FakeMailetConfig;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.acmesmime.gateway.GatewayCode;
import dev.acmesmime.gateway.SignPolicy;

/** How {@link SmimeSign} decides whether to sign (G1–G3), and what it records on the mail. */
class SmimeSignTest {
    FakeGateway fake;
    SmimeSign testee;

    @BeforeEach
    void setUp() throws Exception {
        fake = new FakeGateway().enrolled(ALICE);
    }

    void init(String internalSenders) throws MessagingException {
        testee = new SmimeSign(fake.services());
        FakeMailetConfig.Builder config = FakeMailetConfig.builder().mailetName("sign").mailetContext(fake.localContext);
        if (internalSenders != null) {
            config.setProperty(SmimeSign.INTERNAL_SENDERS, internalSenders);
        }
        testee.init(config.build());
    }

    static Mail authenticated(String user, String from) throws Exception {
        return mail(message(from, BOB), from, BOB).attribute(new Attribute(Mail.SMTP_AUTH_USER, AttributeValue.of(user)))
                .build();
    }

    static String code(Mail mail) {
        return AttributeUtils.getValueAndCastFromMail(mail, GatewayOperation.SIGN.attribute(), String.class).orElse(null);
    }

    static String[] header(Mail mail) throws MessagingException {
        return mail.getMessage().getHeader(GatewayMark.HEADER);
    }

    static String text(Mail mail) throws Exception {
        return text(mail.getMessage());
    }

    static String text(MimeMessage message) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        message.writeTo(out);
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    @Test
    void g1_signsWhenTheAuthenticatedUserIsTheFromMailbox() throws Exception {
        fake.headerProtection = true;
        init(null);
        Mail mail = authenticated("Alice@Org.Example", ALICE);

        testee.service(mail);

        assertThat(fake.protection.signedFor).containsExactly(ALICE);
        assertThat(fake.protection.headerProtection).containsExactly(true);
        assertThat(code(mail)).isEqualTo("signed");
        assertThat(header(mail)).containsExactly("sign signed; signed with serial 1, SHA-256");
        assertThat(text(mail)).contains("X-Fake-Signed-By: alice@org.example").contains("multipart/signed")
                .contains("Message-ID: <m1@org.example>");
        assertThat(fake.metrics.counters()).containsEntry("acme-smime.gateway.sign.signed", 1L).hasSize(1);
    }

    @Test
    void g1_doesNotSignForAnotherAuthenticatedUser() throws Exception {
        init(null);
        Mail mail = authenticated(BOB, ALICE);

        testee.service(mail);

        assertThat(fake.protection.signedFor).isEmpty();
        assertThat(fake.directoryAsked).isEmpty();
        assertThat(code(mail)).isEqualTo("sender-not-authenticated");
        assertThat(header(mail)).containsExactly(
                "sign sender-not-authenticated; the SMTP-authenticated user is not the From mailbox");
        assertThat(text(mail)).doesNotContain("X-Fake-Signed-By");
        assertThat(fake.metrics.counters()).containsEntry("acme-smime.gateway.sign.sender-not-authenticated", 1L);
    }

    @Test
    void g1_doesNotSignUnauthenticatedMail_andReplacesAForgedVerdict() throws Exception {
        init(null);
        Mail mail = mail(message(ALICE, BOB, "X-Acme-Smime-Gateway: sign signed"), ALICE, BOB).build();

        testee.service(mail);

        assertThat(fake.protection.signedFor).isEmpty();
        assertThat(header(mail)).containsExactly("sign sender-not-authenticated; nobody authenticated over SMTP");
    }

    @Test
    void g1_signsMailGeneratedInsideJamesOnlyForAnInternalSender() throws Exception {
        fake.enrolled("noreply@org.example");
        init(" noreply@org.example , ");
        Mail listed = mail(message("noreply@org.example", BOB), "noreply@org.example", BOB)
                .attribute(Mail.SENT_BY_MAILET_ATTRIBUTE).build();
        Mail unlisted = mail(message(ALICE, BOB), ALICE, BOB).attribute(Mail.SENT_BY_MAILET_ATTRIBUTE).build();

        testee.service(listed);
        testee.service(unlisted);

        assertThat(code(listed)).isEqualTo("signed");
        assertThat(header(unlisted)).containsExactly(
                "sign sender-not-authenticated; generated inside James, From is not an internal sender");
        assertThat(fake.protection.signedFor).containsExactly("noreply@org.example");
    }

    @Test
    void policyOff_leavesTheMailUnsigned() throws Exception {
        fake.signing.put(ALICE, SignPolicy.OFF);
        init(null);
        Mail mail = authenticated(ALICE, ALICE);

        testee.service(mail);

        assertThat(code(mail)).isEqualTo("policy-off");
        assertThat(fake.protection.signedFor).isEmpty();
    }

    @Test
    void g3_alreadyProtectedMailIsLeftAlone() throws Exception {
        init(null);
        Mail mail = authenticated(ALICE, ALICE);
        mail.getMessage().setHeader("Content-Type", "multipart/signed; protocol=\"application/pkcs7-signature\"; boundary=x");

        testee.service(mail);

        assertThat(code(mail)).isEqualTo("already-protected");
        assertThat(fake.protection.signedFor).isEmpty();
    }

    @Test
    void g2_anUnusableCertificateGivesTheDirectorysCode() throws Exception {
        fake.identityProblems.put(ALICE, GatewayCode.CERTIFICATE_EXPIRED);
        init(null);
        Mail mail = authenticated(ALICE, ALICE);

        testee.service(mail);

        assertThat(code(mail)).isEqualTo("certificate-expired");
        assertThat(header(mail)).containsExactly("sign certificate-expired; certificate of alice@org.example is not usable");
        assertThat(fake.protection.signedFor).isEmpty();
    }

    @Test
    void g2_aMailboxWithoutCertificateIsNotSigned() throws Exception {
        init(null);
        Mail mail = authenticated(BOB, BOB);
        mail.setMessage(message(BOB, ALICE));

        testee.service(mail);

        assertThat(code(mail)).isEqualTo("no-certificate");
    }

    @Test
    void g1_aFromWithTwoMailboxesIsMalformed() throws Exception {
        init(null);
        Mail mail = authenticated(ALICE, ALICE);
        mail.getMessage().setHeader("From", "alice@org.example, bob@org.example");

        testee.service(mail);

        assertThat(code(mail)).isEqualTo("malformed");
        assertThat(fake.protection.signedFor).isEmpty();
    }

    @Test
    void anRfc8823ResponseIsNeverSigned_butAUsersMailAboutAcmeIs() throws Exception {
        init(null);
        Mail response = mail(message(ALICE, "acme@ca.example", "Auto-Submitted: auto-replied"), ALICE, "acme@ca.example")
                .attribute(Mail.SENT_BY_MAILET_ATTRIBUTE).build();
        response.getMessage().setHeader("Subject", "Re: ACME: LgYemJLy3F1LDkiJrdIGbEzyFJyOyf6vBdyZ1TG3sME=");
        Mail user = authenticated(ALICE, ALICE);
        user.getMessage().setHeader("Subject", "ACME: our new supplier");

        testee.service(response);
        testee.service(user);

        assertThat(header(response)).containsExactly("sign policy-off; " + AcmeProtocolMail.REASON);
        assertThat(code(user)).isEqualTo("signed");
    }

    @Test
    void aMailDecidedOnceIsNotSignedAgain() throws Exception {
        init(null);
        Mail mail = authenticated(ALICE, ALICE);
        testee.service(mail);
        testee.service(mail);

        assertThat(fake.protection.signedFor).hasSize(1);
        assertThat(header(mail)).hasSize(1);
    }

    @Test
    void theHeaderIsOnePrintableLine() {
        String v = GatewayMark.headerValue(GatewayOperation.SIGN, GatewayCode.MALFORMED, "bad\r\nX-Injected: yes\u0000" + "x".repeat(300));
        assertThat(v).startsWith("sign malformed; bad  X-Injected: yes").doesNotContain("\r").doesNotContain("\n")
                .hasSize("sign malformed; ".length() + GatewayMark.MAX_REASON).endsWith("...");
    }

    @Test
    void init_refusesAnInternalSenderThatIsNoMailbox() {
        assertThatThrownBy(() -> init("noreply")).isInstanceOf(MessagingException.class)
                .hasMessageContaining("'internalSenders' must list mailboxes");
    }
}
