package dev.acmesmime.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import java.util.stream.StreamSupport;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

import com.fasterxml.jackson.databind.JsonNode;

import dev.acmesmime.james.it.OrgJames;
import dev.acmesmime.testca.client.OpensslVerify;
import dev.acmesmime.testca.pki.AriCertId;
import dev.acmesmime.testing.WebAdminClient.Http;

/**
 * Issue 15, "Tests (real components)": enrolment across real processes ({@link EnrolmentChain}: the test
 * CA, a CA-role James, an organisation James, dnsmasq; SMTP between the two James). An admin only creates
 * users; everything else is the plugin's doing in both James processes.
 */
@Timeout(600) // hang guard only
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EnrolmentChainTest {

    static final String ALICE = "alice@" + OrgRoleProcess.DOMAIN;
    static final String BOB = "bob@" + OrgRoleProcess.DOMAIN;
    static final String CAROL = "carol@" + OrgRoleProcess.DOMAIN;
    static final String MALLORY = "mallory@" + EnrolmentChain.WRONG_EAB_DOMAIN;
    static final String EMAIL_PROTECTION = "1.3.6.1.5.5.7.3.4";

    EnrolmentChain chain;

    @BeforeAll
    void start() throws Exception {
        chain = EnrolmentChain.start();
    }

    @AfterAll
    void stop() throws Exception {
        if (chain == null) {
            return;
        }
        try {
            assertThat(chain.caJames.log()).doesNotContain("Exception calling dev.acmesmime")
                    .doesNotContain("Encountered error while executing mailet dev.acmesmime");
            chain.caJames.checkSecrets();
        } finally {
            chain.close(); // the organisation James checks its secrets (the EAB keys among them) first
        }
    }

    /**
     * A user created over WebAdmin, nothing else: the order (the account opened with the right EAB key),
     * the challenge signed by the CA James and carried over SMTP, the organisation's answer over SMTP, the
     * CA James's forward to the test CA, issuance. The chain passes {@code openssl verify -purpose
     * smimesign} against the test CA's root, and the stored (sealed) private key is the certificate's.
     * The test CA looks for the response only briefly after the POST; the profile's wait before the POST
     * lets the response arrive first, so the one order succeeds.
     */
    @Test
    void aUserCreatedOverWebAdmin_getsACertificate_withNoOtherAction() throws Exception {
        long orders = chain.ordersAtTheCa();
        chain.createUser(ALICE);

        JsonNode issued = chain.awaitStep(ALICE, "issued");
        assertThat(issued.path("status").asText()).isEqualTo("issued");
        assertThat(issued.path("profile").asText()).isEqualTo(EnrolmentChain.MAIN);
        String pem = chain.certificatePem(ALICE);
        assertThat(pem).doesNotContain("PRIVATE KEY");
        List<X509Certificate> certs = TrustedHttp.certificates(pem);
        X509Certificate leaf = certs.get(0);
        assertThat(leaf.getSubjectAlternativeNames()).containsExactly(List.of(1, ALICE));
        assertThat(leaf.getExtendedKeyUsage()).contains(EMAIL_PROTECTION);
        assertThat(issued.path("expires").asText()).isEqualTo(leaf.getNotAfter().toInstant().toString());
        OpensslVerify.Result verify = OpensslVerify.smimesign(chain.ca.rootPem(), certs.get(1), leaf,
                Files.createDirectories(chain.work.resolve("alice")));
        assertThat(verify.exitCode()).as(verify.output()).isZero();
        assertThat(verify.output()).contains(": OK");

        assertThat(challengesThroughTheHop(ALICE)).as("one challenge mail, CA James → organisation").isEqualTo(1);
        // the response's result reached the test CA before the engine's POST (the profile's wait), and the POST
        // found it there: the order of events a CA that looks only after the POST needs
        assertThat(forwardOutcomes(ALICE)).as("the CA James's forward, as the test CA answered it")
                .containsExactly("waiting-for-post");
        assertThat(chain.ordersAtTheCa() - orders).as("orders at the test CA").isEqualTo(1);
        assertThat(challengePostOutcomes(ALICE)).as("the response was there when the POST came, after the wait")
                .containsExactly("valid");
        assertTheStoredKeyIsTheCertificates(ALICE, leaf);
    }

    /**
     * {@code kill -9} of the organisation James after the order is placed and its challenge registered,
     * while the challenge mail is held between the two James; James restarts on the same home, the mail
     * then arrives: the enrolment completes on the stored order, and the test CA saw exactly one order.
     * (The memory server forgets its users when it stops; its first user scan after the restart lists none
     * and, by design, forgets no enrolment.)
     */
    @Test
    void killNineMidEnrolment_thenARestart_completesWithExactlyOneOrder() throws Exception {
        long orders = chain.ordersAtTheCa();
        chain.hop.hold();
        try {
            chain.createUser(BOB);
            chain.awaitStep(BOB, "challenge-registered");
            await().atMost(EnrolmentChain.WAIT).until(() -> challengesThroughTheHop(BOB) == 1);
            chain.org.kill();
            chain.org.restart();
            // James's memory server keeps its users in memory: the admin's user is back as a real directory keeps it
            chain.createUser(BOB);
            assertThat(chain.enrolment(BOB).path("step").asText()).as("the stored step, after the kill")
                    .isEqualTo("challenge-registered");
        } finally {
            chain.hop.release();
        }

        chain.awaitStep(BOB, "issued");
        X509Certificate leaf = TrustedHttp.certificates(chain.certificatePem(BOB)).get(0);
        assertThat(leaf.getSubjectAlternativeNames()).containsExactly(List.of(1, BOB));
        assertThat(chain.ordersAtTheCa() - orders).as("orders at the test CA, across the kill").isEqualTo(1);
        assertThat(challengesThroughTheHop(BOB)).as("challenge mails for the one order").isEqualTo(1);
    }

    /**
     * The test CA requires EAB; profile {@value EnrolmentChain#WRONG} has a key it does not know. The
     * mailbox is listed as failed with the CA's problem type, and no order was placed for it.
     */
    @Test
    void aWrongEabKey_isAFailedEnrolment_withTheCasProblemType() throws Exception {
        long orders = chain.ordersAtTheCa();
        Http domain = chain.webAdmin().send("PUT", "/domains/" + EnrolmentChain.WRONG_EAB_DOMAIN, null);
        assertThat(domain.status()).as(domain.body()).isEqualTo(204);
        chain.createUser(MALLORY);

        JsonNode failed = await().atMost(EnrolmentChain.WAIT).pollInterval(Duration.ofMillis(500))
                .until(() -> failedRow(MALLORY), r -> !r.isMissingNode());
        assertThat(failed.path("status").asText()).isEqualTo("failed");
        assertThat(failed.path("profile").asText()).isEqualTo(EnrolmentChain.WRONG);
        assertThat(failed.path("problemType").asText()).isEqualTo("urn:ietf:params:acme:error:unauthorized");
        assertThat(failed.path("reason").asText()).isNotBlank();
        assertThat(chain.ordersAtTheCa()).as("no account, no order").isEqualTo(orders);
        assertThat(chain.webAdmin().get("/acme-smime/enrolments/" + MALLORY + "/certificate").status()).isEqualTo(404);
    }

    /**
     * ARI (RFC 9773): the test CA moves an issued certificate's renewal window to now (management port), an
     * admin's {@code renewDue} stands for the engine's next look at the window (the test CA's Retry-After for
     * renewal information is an hour); the engine renews: a certificate with another serial is stored before
     * the first expires, its order carries {@code replaces} = the first one's CertID, and the organisation's
     * audit says {@code enrolment-renewed}.
     */
    @Test
    void theCaMovingTheAriWindowToNow_renewsWithReplaces_beforeExpiry() throws Exception {
        chain.createUser(CAROL);
        chain.awaitStep(CAROL, "issued");
        X509Certificate first = Renewals.leaf(chain, CAROL);
        String certId = AriCertId.of(first);
        Renewals.moveWindow(chain, certId, Instant.now().minusSeconds(60), Instant.now().plusSeconds(60));
        Http task = chain.webAdmin().send("POST", "/acme-smime/enrolments?action=renewDue", null);
        assertThat(task.status()).as(task.body()).isEqualTo(201);

        X509Certificate second = Renewals.awaitAnother(chain, CAROL, first, EnrolmentChain.WAIT);

        assertThat(Instant.now()).isBefore(first.getNotAfter().toInstant());
        assertThat(second.getNotBefore()).isBefore(first.getNotAfter());
        assertThat(second.getSubjectAlternativeNames()).containsExactly(List.of(1, CAROL));
        assertThat(Renewals.orderReplaces(chain, CAROL)).as("the test CA's newOrder lines of " + CAROL)
                .containsExactly("none", certId);
        chain.awaitStep(CAROL, "issued");
        assertThat(OrgStore.auditEvents(chain.org, CAROL)).contains("enrolment-renewed");
    }

    /**
     * Ten users created at once, the test CA mailing each challenge as soon as its order exists (no
     * {@code fault.challengeMailDelay}): a mail that beat its enrolment's registration was held as
     * {@code awaiting-registration} and came back seconds later. Every one is issued, with one order
     * each, and no challenge was ignored for good ({@code no-pending-challenge}, {@code expired}).
     */
    @Test
    void issue15_tenUsersCreatedAtOnce_allGetCertificates_noChallengeIgnoredForGood() throws Exception {
        long orders = chain.ordersAtTheCa();
        List<String> crowd = IntStream.range(0, 10).mapToObj(i -> "crowd" + i + "@" + OrgRoleProcess.DOMAIN).toList();
        for (String mailbox : crowd) {
            chain.createUser(mailbox);
        }

        for (String mailbox : crowd) {
            chain.awaitStep(mailbox, "issued");
        }
        for (String mailbox : crowd) {
            assertThat(decisionCodes(mailbox)).as("the responder's decisions for " + mailbox).contains("answered")
                    .doesNotContain("no-pending-challenge", "expired");
        }
        assertThat(chain.ordersAtTheCa() - orders).as("one order per user").isEqualTo(crowd.size());
    }

    /** Every code of the organisation James's decisions for {@code mailbox} ({@code GET /acme-smime/decisions}). */
    private List<String> decisionCodes(String mailbox) throws Exception {
        JsonNode decisions = EnrolmentChain.JSON.readTree(chain.webAdmin().getOk("/acme-smime/decisions?mailbox="
                + mailbox));
        return StreamSupport.stream(decisions.spliterator(), false)
                .flatMap(d -> StreamSupport.stream(d.path("codes").spliterator(), false)).map(JsonNode::asText).toList();
    }

    /** The mailbox's row in {@code GET /acme-smime/enrolments?status=failed}, or a missing node. */
    private JsonNode failedRow(String mailbox) throws Exception {
        for (JsonNode e : EnrolmentChain.JSON.readTree(chain.webAdmin().getOk("/acme-smime/enrolments?status=failed"))) {
            if (e.path("mailbox").asText().equals(mailbox)) {
                return e;
            }
        }
        return EnrolmentChain.JSON.missingNode();
    }

    /** Challenge mails (Subject {@code ACME: …}) the CA James sent to {@code mailbox} through the hop. */
    private long challengesThroughTheHop(String mailbox) {
        return OrgJames.received(chain.hop).stream().filter(m -> m.getEnvelopeReceiver().equals(mailbox))
                .filter(m -> OrgJames.headerValues(new String(m.getData(), StandardCharsets.ISO_8859_1), "Subject")
                        .stream().anyMatch(s -> s.startsWith("ACME:"))).count();
    }

    /**
     * The test CA's answers to the POSTs of {@code mailbox}'s challenges (its log: {@code newAuthz … authz=<id>
     * identifier=<mailbox>}, then {@code challengePost … authz=<id> outcome=<outcome>}).
     */
    private List<String> challengePostOutcomes(String mailbox) throws Exception {
        String log = chain.ca.output();
        List<String> outcomes = new ArrayList<>();
        Matcher authz = Pattern.compile("newAuthz account=\\S+ authz=(\\S+) identifier=" + Pattern.quote(mailbox) + " ")
                .matcher(log);
        while (authz.find()) {
            Matcher post = Pattern.compile("challengePost account=\\S+ authz=" + Pattern.quote(authz.group(1))
                    + " outcome=(\\S+)").matcher(log);
            while (post.find()) {
                outcomes.add(post.group(1));
            }
        }
        return outcomes;
    }

    /** The outcomes the CA James stored from the test CA's answers to its forwards (audit {@code forward-delivered}). */
    private List<String> forwardOutcomes(String mailbox) throws Exception {
        JsonNode audit = EnrolmentChain.JSON.readTree(chain.caJames.webAdmin.getOk("/acme-smime/audit?address=" + mailbox));
        return StreamSupport.stream(audit.spliterator(), false)
                .filter(a -> a.path("event").asText().equals("forward-delivered"))
                .map(a -> a.path("outcome").asText()).toList();
    }

    /** The private key in the store signs what the certificate's public key verifies. */
    private void assertTheStoredKeyIsTheCertificates(String mailbox, X509Certificate leaf) throws Exception {
        PrivateKey key = chain.storedPrivateKey(mailbox);
        String algorithm = key.getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
        byte[] proof = ("stored key of " + mailbox).getBytes(StandardCharsets.UTF_8);
        Signature signer = Signature.getInstance(algorithm);
        signer.initSign(key);
        signer.update(proof);
        Signature verifier = Signature.getInstance(algorithm);
        verifier.initVerify(leaf.getPublicKey());
        verifier.update(proof);
        assertThat(verifier.verify(signer.sign())).as("the stored key belongs to the certificate").isTrue();
    }
}
