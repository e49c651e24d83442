package dev.acmesmime.james.gateway;

import static dev.acmesmime.james.gateway.FakeGateway.ALICE;
import static dev.acmesmime.james.gateway.FakeGateway.BOB;
import static dev.acmesmime.james.gateway.FakeGateway.POSTMASTER;
import static dev.acmesmime.james.gateway.FakeGateway.mail;
import static dev.acmesmime.james.gateway.FakeGateway.message;
import static dev.acmesmime.james.gateway.SmimeSignTest.text;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import javax.mail.MessagingException;

import org.apache.james.core.MailAddress;
import org.apache.james.core.MaybeSender;
import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeUtils;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;
import org.apache.mailet.base.test.FakeMailContext;
import org.apache.mailet.base.test.FakeMailetConfig;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.acmesmime.gateway.EncryptPolicy;

/**
 * How {@link SmimeEncrypt} splits a mail by each recipient's policy and certificate (G7, G8): every
 * recipient gets exactly one copy, encrypted, in clear or held, and the held recipients' sender is told.
 */
class SmimeEncryptTest {
    static final String CAROL = "carol@partner.example";
    static final String DAVE = "dave@partner.example";
    static final String X = "x@partner2.example";
    static final String Y = "y@partner3.example";

    FakeGateway fake;
    SmimeEncrypt testee;

    @BeforeEach
    void setUp() throws Exception {
        fake = new FakeGateway().enrolled(ALICE).enrolled(BOB).knows(CAROL);
    }

    void init(String... parameters) throws MessagingException {
        testee = new SmimeEncrypt(fake.services(), fake.repositories());
        FakeMailetConfig.Builder config = FakeMailetConfig.builder().mailetName("encrypt").mailetContext(fake.localContext);
        for (int i = 0; i < parameters.length; i += 2) {
            config.setProperty(parameters[i], parameters[i + 1]);
        }
        testee.init(config.build());
    }

    static Mail fromAlice(String... recipients) throws Exception {
        return mail(message(ALICE, String.join(", ", recipients)), ALICE, recipients)
                .attribute(new Attribute(Mail.SMTP_AUTH_USER, AttributeValue.of(ALICE))).build();
    }

    static String code(Mail mail) {
        return AttributeUtils.getValueAndCastFromMail(mail, GatewayOperation.ENCRYPT.attribute(), String.class).orElse(null);
    }

    static List<String> recipients(Mail mail) {
        return mail.getRecipients().stream().map(MailAddress::asString).toList();
    }

    @Test
    void g7_encryptsToTheRecipientAndToTheSendersOwnCertificate() throws Exception {
        init();
        Mail mail = fromAlice(BOB);

        testee.service(mail);

        assertThat(fake.protection.encryptedTo).containsExactly(List.of(BOB, ALICE));
        assertThat(code(mail)).isEqualTo("encrypted");
        assertThat(recipients(mail)).containsExactly(BOB);
        assertThat(text(mail)).contains("application/pkcs7-mime").contains("X-Fake-Encrypted-To: bob@org.example,alice@org.example")
                .contains("X-Acme-Smime-Gateway: encrypt encrypted; encrypted to 2 certificate(s)");
        assertThat(mail.getState()).isEqualTo("transport");
        assertThat(fake.context.getSentMails()).isEmpty();
        assertThat(fake.metrics.counters()).containsEntry("acme-smime.gateway.encrypt.encrypted", 1L).hasSize(1);
    }

    @Test
    void g7_anUnauthenticatedSenderGetsNoCopyOfTheirOwn() throws Exception {
        init();
        Mail mail = mail(message(ALICE, CAROL), ALICE, CAROL).build();

        testee.service(mail);

        assertThat(fake.protection.encryptedTo).containsExactly(List.of(CAROL));
    }

    @Test
    void g8_opportunisticWithoutCertificateGoesInClear() throws Exception {
        init();
        Mail mail = fromAlice(DAVE);

        testee.service(mail);

        assertThat(fake.protection.encryptedTo).isEmpty();
        assertThat(code(mail)).isEqualTo("no-recipient-certificate");
        assertThat(mail.getMessage().getHeader(GatewayMark.HEADER)).containsExactly(
                "encrypt no-recipient-certificate; no certificate known for 1 recipient(s), sent in clear (opportunistic)");
        assertThat(text(mail)).contains("Content-Type: text/plain");
        assertThat(fake.stored).isEmpty();
    }

    @Test
    void g8_policyOffAsksForNoCertificate() throws Exception {
        fake.encryption.put(BOB, EncryptPolicy.OFF);
        init();
        Mail mail = fromAlice(BOB);

        testee.service(mail);

        assertThat(code(mail)).isEqualTo("policy-off");
        assertThat(fake.directoryAsked).isEmpty();
        assertThat(fake.protection.encryptedTo).isEmpty();
    }

    @Test
    void g8_requiredWithoutCertificateIsHeldAndTheSenderNotified() throws Exception {
        fake.encryption.put(X, EncryptPolicy.REQUIRED);
        init();
        Mail mail = fromAlice(X);

        testee.service(mail);

        assertThat(mail.getState()).isEqualTo(Mail.GHOST);
        assertThat(fake.repositoryUrls).containsExactly("file://var/mail/smime-held");
        assertThat(fake.stored).singleElement().satisfies(held -> {
            assertThat(recipients(held)).containsExactly(X);
            assertThat(code(held)).isEqualTo("no-recipient-certificate");
            assertThat(text(held)).contains("Hello.").contains("held in file://var/mail/smime-held/");
        });
        assertThat(fake.context.getSentMails()).singleElement().satisfies(notice -> {
            assertThat(notice.getSender().asString()).isEqualTo(POSTMASTER);
            assertThat(notice.getRecipients()).extracting(MailAddress::asString).containsExactly(ALICE);
            assertThat(notice.getSubject()).contains("Not sent: encryption required for x@partner2.example");
            assertThat(text(notice.getMsg())).contains("Auto-Submitted: auto-generated")
                    .contains("Subject: quarterly figures").doesNotContain("Hello.");
        });
    }

    @Test
    void g8_aHeldBounceNotifiesNobody() throws Exception {
        fake.encryption.put(X, EncryptPolicy.REQUIRED);
        init(SmimeEncrypt.HELD_REPOSITORY, "file://var/mail/held/");
        Mail bounce = mail(message(POSTMASTER, X), ALICE, X).sender(MaybeSender.nullSender()).build();

        testee.service(bounce);

        assertThat(fake.repositoryUrls).containsExactly("file://var/mail/held");
        assertThat(fake.stored).hasSize(1);
        assertThat(fake.context.getSentMails()).isEmpty();
    }

    @Test
    void aMixedMailIsSplit_everyRecipientOnceAndNoneLost() throws Exception {
        fake.encryption.put(X, EncryptPolicy.REQUIRED);
        fake.encryption.put(Y, EncryptPolicy.OFF);
        init();
        Mail mail = fromAlice(BOB, DAVE, X, CAROL, Y);

        testee.service(mail);

        // the mail itself goes on in clear to the recipients without certificate or with encryption off
        assertThat(recipients(mail)).containsExactly(DAVE, Y);
        assertThat(code(mail)).isEqualTo("no-recipient-certificate");
        assertThat(text(mail)).contains("Content-Type: text/plain");
        assertThat(mail.getMessage().getHeader(GatewayMark.HEADER)).singleElement().asString()
                .contains("encryption off for 1").doesNotContain("@"); // names no recipient: no Bcc revealed
        // one encrypted copy round transport again, to bob and carol (and alice's own certificate)
        assertThat(fake.context.getSentMails()).hasSize(2);
        FakeMailContext.SentMail encrypted = sent(true);
        assertThat(encrypted.getRecipients()).extracting(MailAddress::asString).containsExactly(BOB, CAROL);
        assertThat(encrypted.getState()).isEqualTo("transport");
        assertThat(encrypted.getAttributes()).containsKey(SmimeEncrypt.SPLIT_ATTRIBUTE);
        assertThat(text(encrypted.getMsg())).contains("application/pkcs7-mime");
        assertThat(encrypted.getMsg().getHeader(GatewayMark.HEADER)).containsExactly(
                "encrypt encrypted; encrypted to 3 certificate(s)");
        assertThat(fake.protection.encryptedTo).containsExactly(List.of(BOB, CAROL, ALICE));
        // the held copy, and the notice to alice (the second mail sent)
        assertThat(fake.stored).singleElement().satisfies(h -> assertThat(recipients(h)).containsExactly(X));
        assertThat(sent(false).getRecipients()).extracting(MailAddress::asString)
                .containsExactly(ALICE);
        List<String> all = new ArrayList<>(recipients(mail));
        all.addAll(encrypted.getRecipients().stream().map(MailAddress::asString).toList());
        all.addAll(recipients(fake.stored.get(0)));
        assertThat(all).containsExactlyInAnyOrder(BOB, DAVE, X, CAROL, Y);
    }

    /** The one mail sent to the spool that is (or is not) a split copy. */
    FakeMailContext.SentMail sent(boolean split) {
        return fake.context.getSentMails().stream()
                .filter(m -> m.getAttributes().containsKey(SmimeEncrypt.SPLIT_ATTRIBUTE) == split)
                .reduce((a, b) -> {
                    throw new AssertionError("two sent mails with split=" + split);
                }).orElseThrow();
    }

    @Test
    void aSplitCopyPassesThisMailetUntouched() throws Exception {
        init();
        Mail copy = fromAlice(DAVE);
        copy.setAttribute(new Attribute(SmimeEncrypt.SPLIT_ATTRIBUTE, AttributeValue.of(true)));

        testee.service(copy);

        assertThat(code(copy)).isNull();
        assertThat(copy.getAttribute(SmimeEncrypt.SPLIT_ATTRIBUTE)).isEmpty();
        assertThat(fake.directoryAsked).isEmpty();
    }

    @Test
    void g3_alreadyEncryptedMailIsLeftAlone() throws Exception {
        init();
        Mail mail = fromAlice(BOB);
        mail.getMessage().setHeader("Content-Type", FakeProtection.ENVELOPED_TYPE.substring("Content-Type: ".length()));

        testee.service(mail);

        assertThat(code(mail)).isEqualTo("already-protected");
        assertThat(fake.protection.encryptedTo).isEmpty();
    }

    @Test
    void anRfc8823ResponseIsNeverEncrypted_evenToAKnownCertificate() throws Exception {
        fake.knows("acme@ca.example");
        init();
        Mail response = mail(message(ALICE, "acme@ca.example", "Auto-Submitted: auto-replied"), ALICE, "acme@ca.example")
                .attribute(Mail.SENT_BY_MAILET_ATTRIBUTE).build();
        response.getMessage().setHeader("Subject", "Re: ACME: LgYemJLy3F1LDkiJrdIGbEzyFJyOyf6vBdyZ1TG3sME=");

        testee.service(response);

        assertThat(code(response)).isEqualTo("policy-off");
        assertThat(fake.protection.encryptedTo).isEmpty();
        assertThat(text(response)).contains("Content-Type: text/plain");
    }

    @Test
    void whenEncryptionFails_requiredRecipientsAreHeldAndTheOthersGetItInClear() throws Exception {
        fake.protection.encryptFails = true;
        fake.encryption.put(CAROL, EncryptPolicy.REQUIRED);
        init();
        Mail mail = fromAlice(BOB, CAROL);

        testee.service(mail);

        assertThat(recipients(mail)).containsExactly(BOB);
        assertThat(code(mail)).isEqualTo("malformed");
        assertThat(fake.stored).singleElement().satisfies(h -> assertThat(recipients(h)).containsExactly(CAROL));
    }
}
