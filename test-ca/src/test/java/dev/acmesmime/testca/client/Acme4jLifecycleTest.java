package dev.acmesmime.testca.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.shredzone.acme4j.Certificate;
import org.shredzone.acme4j.Order;
import org.shredzone.acme4j.RenewalInfo;
import org.shredzone.acme4j.RevocationReason;
import org.shredzone.acme4j.Status;
import org.shredzone.acme4j.toolbox.AcmeUtils;

import com.fasterxml.jackson.databind.JsonNode;

import dev.acmesmime.acme.EmailReply00Challenge;

/**
 * After issuance, with acme4j-client 4.0.0: revocation by the account key and by the certificate key
 * (RFC 8555 §7.6), seen on the management port; ARI (RFC 9773) windows, moved by the management call; and
 * a renewal order that {@code replaces} the old certificate.
 */
class Acme4jLifecycleTest {
    @RegisterExtension
    static final RunningTestCa CA = RunningTestCa.withDefaults();

    @Test
    void revokedByTheAccountKey() throws Exception {
        Enrolment enrolment = Enrolment.newAccount(CA, Keys.ec256());
        Certificate certificate = enrolment.issue("revoke-account@example.org", Keys.ec256());
        X509Certificate leaf = certificate.getCertificate();
        assertThat(CA.management().certificateStatus(leaf.getSerialNumber()).path("status").asText())
                .isEqualTo("valid");

        certificate.revoke();

        assertThat(CA.management().certificateStatus(leaf.getSerialNumber()).path("status").asText())
                .isEqualTo("revoked");
    }

    @Test
    void revokedByTheCertificateKey() throws Exception {
        Enrolment enrolment = Enrolment.newAccount(CA, Keys.ec256());
        KeyPair certificateKey = Keys.ec256();
        X509Certificate leaf = enrolment.issue("revoke-key@example.org", certificateKey).getCertificate();

        Certificate.revoke(CA.session(), certificateKey, leaf, RevocationReason.KEY_COMPROMISE);

        JsonNode status = CA.management().certificateStatus(leaf.getSerialNumber());
        assertThat(status.path("status").asText()).isEqualTo("revoked");
        assertThat(status.path("serial").asText()).isNotEmpty();
    }

    @Test
    void renewalInfoIsReadMovedAndHonouredByAReplacingOrder() throws Exception {
        String address = "renew@example.org";
        Enrolment enrolment = Enrolment.newAccount(CA, Keys.ec256());
        Certificate certificate = enrolment.issue(address, Keys.ec256());
        X509Certificate leaf = certificate.getCertificate();

        assertThat(certificate.hasRenewalInfo()).isTrue();
        RenewalInfo info = certificate.getRenewalInfo();
        assertThat(info.getSuggestedWindowStart()).isAfterOrEqualTo(leaf.getNotBefore().toInstant())
                .isBefore(info.getSuggestedWindowEnd());
        assertThat(info.getSuggestedWindowEnd()).isBeforeOrEqualTo(leaf.getNotAfter().toInstant());

        Instant start = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
        Instant end = start.plus(2, ChronoUnit.HOURS);
        assertThat(CA.management().setRenewalInfo(AcmeUtils.getRenewalUniqueIdentifier(leaf), start, end))
                .isBetween(200, 299);
        info.fetch();
        assertThat(info.getSuggestedWindowStart()).isEqualTo(start);
        assertThat(info.getSuggestedWindowEnd()).isEqualTo(end);
        assertThat(info.renewalIsRecommended(Instant.now())).isTrue();

        Order renewal = enrolment.login().newOrder().identifier(Enrolment.email(address)).replaces(certificate)
                .create();
        assertThat(renewal.getStatus()).isEqualTo(Status.PENDING);
        assertThat(renewal.getJSON().get("replaces").asString())
                .isEqualTo(AcmeUtils.getRenewalUniqueIdentifier(leaf));
        EmailReply00Challenge challenge = Enrolment.challenge(renewal);
        enrolment.respond(challenge, address, 1);
        challenge.trigger();
        assertThat(challenge.waitForCompletion(Enrolment.WAIT)).isEqualTo(Status.VALID);
        X509Certificate renewed = enrolment.finalizeOrder(renewal, Keys.ec256(), address).getCertificate();
        assertThat(renewed.getSerialNumber()).isNotEqualTo(leaf.getSerialNumber());
    }
}
