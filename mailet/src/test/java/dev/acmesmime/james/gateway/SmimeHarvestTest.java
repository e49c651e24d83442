package dev.acmesmime.james.gateway;

import static dev.acmesmime.james.gateway.FakeGateway.ALICE;
import static dev.acmesmime.james.gateway.FakeGateway.mail;
import static dev.acmesmime.james.gateway.FakeGateway.message;
import static dev.acmesmime.james.gateway.FakeProtection.SIGNED_TYPE;
import static dev.acmesmime.james.gateway.FakeProtection.TEXT_TYPE;
import static dev.acmesmime.james.gateway.SmimeSignTest.text;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import java.util.Properties;

import javax.mail.Session;
import javax.mail.internet.MimeMessage;

import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeUtils;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;
import org.apache.mailet.base.test.FakeMailetConfig;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.acmesmime.gateway.CorrespondentCertificate;
import dev.acmesmime.gateway.GatewayCode;
import dev.acmesmime.gateway.HarvestResult;

/** How {@link SmimeHarvest} learns a correspondent's certificate from incoming signed mail (G6), and only then. */
class SmimeHarvestTest {
    static final String CAROL = "carol@partner.example";
    static final CorrespondentCertificate CAROLS = new CorrespondentCertificate(CAROL, "-----BEGIN CERTIFICATE-----",
            "ab12", Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2027-01-01T00:00:00Z"), true,
            Instant.parse("2026-06-01T12:00:00Z"));

    FakeGateway fake;
    SmimeHarvest testee;

    @BeforeEach
    void setUp() throws Exception {
        fake = new FakeGateway();
        testee = new SmimeHarvest(fake.services());
        testee.init(FakeMailetConfig.builder().mailetName("harvest").mailetContext(fake.localContext).build());
    }

    static MimeMessage signed(String from, String... extraHeaders) throws Exception {
        MimeMessage plain = message(from, ALICE, extraHeaders);
        String raw = text(plain).replace(TEXT_TYPE, SIGNED_TYPE);
        return new MimeMessage(Session.getDefaultInstance(new Properties()),
                new ByteArrayInputStream(raw.getBytes(StandardCharsets.ISO_8859_1)));
    }

    static String code(Mail mail) {
        return AttributeUtils.getValueAndCastFromMail(mail, GatewayOperation.HARVEST.attribute(), String.class).orElse(null);
    }

    @Test
    void g6_keepsTheCertificateOfAVerifiedTrustedSignatureMatchingFrom() throws Exception {
        fake.protection.harvests.put(CAROL, new HarvestResult(GatewayCode.HARVESTED, "trusted, rfc822Name = From",
                Optional.of(CAROLS)));
        Mail mail = mail(signed(CAROL), CAROL, ALICE).build();
        String before = text(mail);

        testee.service(mail);

        assertThat(fake.saved).containsExactly(CAROLS);
        assertThat(code(mail)).isEqualTo("harvested");
        String header = "X-Acme-Smime-Gateway: harvest harvested; trusted, rfc822Name = From\r\n";
        assertThat(text(mail)).contains(header);
        assertThat(text(mail).replace(header, "")).isEqualTo(before); // nothing else changed
        assertThat(fake.metrics.counters()).containsEntry("acme-smime.gateway.harvest.harvested", 1L);
    }

    @Test
    void g6_storesNothingWhenCoreRefuses_aMismatchedFromOrAnUntrustedChain() throws Exception {
        fake.protection.harvests.put("dave@partner.example", new HarvestResult(GatewayCode.ADDRESS_MISMATCH,
                "rfc822Name carol@partner.example is not From", Optional.empty()));
        Mail mismatch = mail(signed("dave@partner.example"), "dave@partner.example", ALICE).build();
        Mail untrusted = mail(signed(CAROL), CAROL, ALICE).build();

        testee.service(mismatch);
        testee.service(untrusted);

        assertThat(fake.saved).isEmpty();
        assertThat(code(mismatch)).isEqualTo("address-mismatch");
        assertThat(code(untrusted)).isEqualTo("untrusted");
        assertThat(fake.protection.harvestedFrom).containsExactly("dave@partner.example", CAROL);
    }

    @Test
    void unsignedMailIsNotProtected_withoutAskingCore() throws Exception {
        Mail mail = mail(message(CAROL, ALICE), CAROL, ALICE).build();

        testee.service(mail);

        assertThat(code(mail)).isEqualTo("not-protected");
        assertThat(fake.protection.harvestedFrom).isEmpty();
    }

    @Test
    void outgoingMailIsLeftAloneWithoutAMark() throws Exception {
        Mail authenticated = mail(signed(ALICE), ALICE, CAROL)
                .attribute(new Attribute(Mail.SMTP_AUTH_USER, AttributeValue.of(ALICE))).build();
        Mail generated = mail(signed(ALICE), ALICE, CAROL).attribute(Mail.SENT_BY_MAILET_ATTRIBUTE).build();

        testee.service(authenticated);
        testee.service(generated);

        assertThat(code(authenticated)).isNull();
        assertThat(code(generated)).isNull();
        assertThat(fake.protection.harvestedFrom).isEmpty();
    }

    @Test
    void incomingMailLosesEveryGatewayVerdictItsSenderPutIn() throws Exception {
        Mail mail = mail(message(CAROL, ALICE, "X-Acme-Smime-Gateway: decrypt decrypted",
                "X-Acme-Smime-Gateway: sign signed"), CAROL, ALICE).build();

        testee.service(mail);

        assertThat(mail.getMessage().getHeader(GatewayMark.HEADER)).containsExactly("harvest not-protected; not signed");
    }
}
