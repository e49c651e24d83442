package dev.acmesmime.james.gateway;

import static dev.acmesmime.james.gateway.FakeGateway.ALICE;
import static dev.acmesmime.james.gateway.FakeGateway.BOB;
import static dev.acmesmime.james.gateway.FakeGateway.mail;
import static dev.acmesmime.james.gateway.FakeGateway.message;
import static dev.acmesmime.james.gateway.SmimeSignTest.text;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;

import org.apache.james.core.MailAddress;
import org.apache.mailet.AttributeUtils;
import org.apache.mailet.Mail;
import org.apache.mailet.base.test.FakeMailetConfig;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.acmesmime.gateway.GatewayCode;

/** How {@link SmimeDecrypt} decrypts incoming mail for one local mailbox with its stored key (G9). */
class SmimeDecryptTest {
    static final String CAROL = "carol@partner.example";

    FakeGateway fake;
    SmimeDecrypt testee;

    @BeforeEach
    void setUp() throws Exception {
        fake = new FakeGateway().enrolled(BOB);
    }

    void init(String originalRepository) throws MessagingException {
        testee = new SmimeDecrypt(fake.services(), fake.repositories());
        FakeMailetConfig.Builder config = FakeMailetConfig.builder().mailetName("decrypt").mailetContext(fake.localContext);
        if (originalRepository != null) {
            config.setProperty(SmimeDecrypt.ORIGINAL_REPOSITORY, originalRepository);
        }
        testee.init(config.build());
    }

    /** A mail from carol enveloped (by the fake) for {@code to}'s certificate. */
    MimeMessage encryptedFor(String to) throws Exception {
        fake.knows(to);
        byte[] raw = fake.protection.encrypt(text(message(CAROL, to)).getBytes(StandardCharsets.ISO_8859_1),
                List.of(fake.certificates.get(to))).message().orElseThrow();
        return new MimeMessage(null, new ByteArrayInputStream(raw));
    }

    static String code(Mail mail) {
        return AttributeUtils.getValueAndCastFromMail(mail, GatewayOperation.DECRYPT.attribute(), String.class).orElse(null);
    }

    @Test
    void g9_decryptsForTheOneLocalRecipient_andKeepsTheOriginalWhenAsked() throws Exception {
        init("file://var/mail/smime-originals/");
        Mail mail = mail(encryptedFor(BOB), CAROL, BOB).state("local-delivery").build();

        testee.service(mail);

        assertThat(code(mail)).isEqualTo("decrypted");
        assertThat(text(mail)).contains("Content-Type: text/plain").contains("Hello.").doesNotContain("pkcs7-mime")
                .contains("X-Acme-Smime-Gateway: decrypt decrypted");
        assertThat(fake.repositoryUrls).containsExactly("file://var/mail/smime-originals");
        assertThat(fake.stored).singleElement().satisfies(original ->
                assertThat(text(original)).contains("application/pkcs7-mime").doesNotContain("X-Acme-Smime-Gateway"));
        assertThat(fake.metrics.counters()).containsEntry("acme-smime.gateway.decrypt.decrypted", 1L);
    }

    @Test
    void g9_withoutOriginalRepositoryNothingIsKept() throws Exception {
        init(null);
        Mail mail = mail(encryptedFor(BOB), CAROL, BOB).build();

        testee.service(mail);

        assertThat(code(mail)).isEqualTo("decrypted");
        assertThat(fake.repositoryUrls).isEmpty();
        assertThat(fake.stored).isEmpty();
    }

    @Test
    void g9_mailEnvelopedForSomeoneElseIsNotForUs() throws Exception {
        init(null);
        Mail mail = mail(encryptedFor(ALICE), CAROL, BOB).build();

        testee.service(mail);

        assertThat(code(mail)).isEqualTo("not-for-us");
        assertThat(text(mail)).contains("application/pkcs7-mime");
    }

    @Test
    void g9_severalRecipientsOrANonLocalOneAreNotDecrypted() throws Exception {
        init(null);
        Mail two = mail(encryptedFor(BOB), CAROL, BOB, ALICE).build();
        Mail remote = mail(encryptedFor(BOB), CAROL, "bob@elsewhere.example").build();

        testee.service(two);
        testee.service(remote);

        assertThat(code(two)).isEqualTo("not-for-us");
        assertThat(code(remote)).isEqualTo("not-for-us");
        assertThat(two.getRecipients()).extracting(MailAddress::asString).containsExactly(BOB, ALICE);
        assertThat(fake.directoryAsked).isEmpty();
    }

    @Test
    void g2_aMailboxWhoseCertificateIsRevokedGetsItsMailEncrypted() throws Exception {
        fake.identityProblems.put(BOB, GatewayCode.NO_CERTIFICATE);
        init(null);
        Mail mail = mail(encryptedFor(BOB), CAROL, BOB).build();

        testee.service(mail);

        assertThat(code(mail)).isEqualTo("no-certificate");
        assertThat(text(mail)).contains("application/pkcs7-mime");
    }

    @Test
    void plainMailIsNotProtected() throws Exception {
        init(null);
        Mail mail = mail(message(CAROL, BOB), CAROL, BOB).build();

        testee.service(mail);

        assertThat(code(mail)).isEqualTo("not-protected");
        assertThat(fake.directoryAsked).isEmpty();
    }
}
