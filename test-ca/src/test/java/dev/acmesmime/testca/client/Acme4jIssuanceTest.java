package dev.acmesmime.testca.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.shredzone.acme4j.Authorization;
import org.shredzone.acme4j.Certificate;
import org.shredzone.acme4j.Order;
import org.shredzone.acme4j.Status;
import org.shredzone.acme4j.challenge.Challenge;

import dev.acmesmime.acme.EmailReply00Challenge;

/**
 * acme4j-client 4.0.0 enrols an email address at the test CA (RFC 8555 + RFC 8823): the order's one
 * {@code email-reply-00} challenge, its challenge mail at the SMTP sink, the response forwarded by the
 * (simulated) CA-role James in either order with the client's POST, finalize, and a chain that
 * {@code openssl verify -purpose smimesign} accepts.
 */
class Acme4jIssuanceTest {
    private static final String EMAIL_PROTECTION = "1.3.6.1.5.5.7.3.4";

    @RegisterExtension
    static final RunningTestCa CA = RunningTestCa.withDefaults();

    @Test
    void anEmailOrderHasOneEmailReplyChallengeAndItsMailArrives() throws Exception {
        Enrolment enrolment = Enrolment.newAccount(CA, Keys.ec256());
        Order order = enrolment.order("alice@example.org");

        List<Authorization> authorizations = order.getAuthorizations();
        assertThat(authorizations).hasSize(1);
        assertThat(authorizations.get(0).getIdentifier()).isEqualTo(Enrolment.email("alice@example.org"));
        List<Challenge> challenges = authorizations.get(0).getChallenges();
        assertThat(challenges).hasSize(1);
        assertThat(challenges.get(0)).isInstanceOf(EmailReply00Challenge.class);
        EmailReply00Challenge challenge = (EmailReply00Challenge) challenges.get(0);
        assertThat(challenge.getType()).isEqualTo(EmailReply00Challenge.TYPE);
        assertThat(challenge.getStatus()).isEqualTo(Status.PENDING);
        assertThat(challenge.getFrom()).isEqualTo(RunningTestCa.CHALLENGE_FROM);
        assertAtLeast128BitsOfBase64Url(challenge.getTokenPart2());

        ChallengeMails.Received mail = CA.mails().awaitFor("alice@example.org");
        assertThat(mail.from()).isEqualTo(challenge.getFrom());
        assertThat(mail.subject()).isEqualTo("ACME: " + mail.tokenPart1());
        assertAtLeast128BitsOfBase64Url(mail.tokenPart1());
        assertThat(mail.autoSubmitted()).contains("auto-generated; type=acme");
        assertThat(mail.messageId()).isNotBlank();
        assertThat(mail.date()).isPresent();
    }

    @Test
    void responseFirstThenTriggerIssuesAVerifiableSmimeCertificate(@TempDir Path dir) throws Exception {
        String address = "bob@example.org";
        Enrolment enrolment = Enrolment.newAccount(CA, Keys.ec256());
        Order order = enrolment.order(address);
        EmailReply00Challenge challenge = Enrolment.challenge(order);

        assertThat(enrolment.respond(challenge, address).outcome()).isEqualTo("waiting-for-post");
        challenge.fetch();
        assertThat(challenge.getStatus()).as("valid needs the client's POST too").isNotEqualTo(Status.VALID);

        challenge.trigger();
        assertThat(challenge.waitForCompletion(Enrolment.WAIT)).isEqualTo(Status.VALID);
        assertThat(order.getAuthorizations().get(0).waitForCompletion(Enrolment.WAIT)).isEqualTo(Status.VALID);

        KeyPair key = Keys.forAlgorithm("RS256");
        Instant before = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Certificate certificate = enrolment.finalizeOrder(order, key, address);
        Instant after = Instant.now().plusSeconds(1);
        assertSmimeCertificate(certificate, address, dir);
        assertThat(certificate.getCertificate().getNotAfter().toInstant()).as("issued for certificate.lifetime (7d)")
                .isBetween(before.plus(Duration.ofDays(7)), after.plus(Duration.ofDays(7)));
    }

    @Test
    void triggerFirstThenResponseTurnsValid() throws Exception {
        String address = "carol@example.org";
        Enrolment enrolment = Enrolment.newAccount(CA, Keys.ec256());
        Order order = enrolment.order(address);
        EmailReply00Challenge challenge = Enrolment.challenge(order);

        challenge.trigger();
        challenge.fetch();
        assertThat(challenge.getStatus()).as("valid needs the response too").isNotEqualTo(Status.VALID);

        assertThat(enrolment.respond(challenge, address).outcome()).isEqualTo("valid");
        assertThat(challenge.waitForCompletion(Enrolment.WAIT)).isEqualTo(Status.VALID);
        Certificate certificate = enrolment.finalizeOrder(order, Keys.ec256(), address);
        assertThat(Certificates.rfc822Names(certificate.getCertificate())).containsExactly(address);
    }

    private static void assertSmimeCertificate(Certificate certificate, String address, Path dir) throws Exception {
        List<X509Certificate> chain = certificate.getCertificateChain();
        assertThat(chain).hasSize(2);
        X509Certificate leaf = chain.get(0);
        assertThat(leaf.getIssuerX500Principal()).isEqualTo(chain.get(1).getSubjectX500Principal());
        assertThat(Certificates.rfc822Names(leaf)).containsExactly(address);
        assertThat(leaf.getExtendedKeyUsage()).contains(EMAIL_PROTECTION);
        assertThat(leaf.getKeyUsage()[0]).as("digitalSignature").isTrue();
        assertThat(leaf.getKeyUsage()[2]).as("keyEncipherment for an RSA key").isTrue();
        assertThat(Certificates.policies(leaf)).contains(Certificates.MAILBOX_STRICT_POLICY);
        assertThat(leaf.getNotBefore().toInstant()).isBeforeOrEqualTo(Instant.now());

        Path root = CA.ca().rootPem();
        assertThat(Files.readString(root)).contains("BEGIN CERTIFICATE");
        OpensslVerify.Result verify = OpensslVerify.smimesign(root, chain.get(1), leaf, dir);
        assertThat(verify.output()).contains("OK");
        assertThat(verify.exitCode()).as(verify.output()).isZero();
    }

    private static void assertAtLeast128BitsOfBase64Url(String token) {
        assertThat(token).as("base64url").matches("[A-Za-z0-9_-]+=*");
        byte[] decoded = Base64.getUrlDecoder().decode(token);
        assertThat(decoded.length).as("bytes in " + token).isGreaterThanOrEqualTo(16);
    }
}
