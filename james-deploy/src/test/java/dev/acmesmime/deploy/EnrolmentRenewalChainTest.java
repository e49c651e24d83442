package dev.acmesmime.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Issue 15 through real processes ({@link EnrolmentChain}) with a test CA that issues certificates of
 * {@value #LIFETIME} and offers no ACME Renewal Information ({@code ari=false}): the engine renews on its own
 * clock, and the CA goes down for a while.
 * <p>
 * "Down" is the test CA frozen ({@code SIGSTOP}, {@link TestCaProcess#pause}): a restarted test CA would be
 * another CA, not the same one back, because it makes its root, intermediate and TLS keys anew at every start
 * and keeps accounts and orders in memory only; the organisation's and the CA James's trust in its root
 * would no longer fit.
 */
@Timeout(600) // hang guard only
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EnrolmentRenewalChainTest {

    /** With the test CA's 1 min backdating, the validity is 150 s and two thirds fall 40 s after issuance. */
    static final String LIFETIME = "90s";
    /** conf/org's default {@code enrolment.renewal.jitter}: the renewal may come this share of the validity earlier. */
    static final double JITTER = 0.1;
    static final int OUTAGE_SECONDS = 25;
    /**
     * Above the longest attempt against a CA that does not answer (each of its calls waits for acme4j's 10 s
     * timeout). With the chain's 30 s, a second worker of the same node took the mailbox over while the first
     * still waited: after the outage both placed an order, the responder found two pending challenges for
     * one sender, answered neither (ambiguous-pending-challenge), and the enrolment waited for good.
     */
    static final int LEASE_SECONDS = 120;
    static final String DAN = "dan@" + OrgRoleProcess.DOMAIN;
    static final String ERIN = "erin@" + OrgRoleProcess.DOMAIN;

    EnrolmentChain chain;

    @BeforeAll
    void start() throws Exception {
        chain = EnrolmentChain.start(Map.of("certificate.lifetime", LIFETIME, "ari", "false"),
                Map.of("enrolment.leaseSeconds", Integer.toString(LEASE_SECONDS)));
    }

    @AfterAll
    void stop() throws Exception {
        if (chain != null) {
            try {
                chain.caJames.checkSecrets();
            } finally {
                chain.close();
            }
        }
    }

    /**
     * Without ARI the engine renews at two thirds of the validity (earlier by at most the jitter): a second
     * certificate with another serial is stored before the first one expires, its order names nothing in
     * {@code replaces}, and the organisation's audit says {@code enrolment-renewed}.
     */
    @Test
    void withoutAri_theEngineRenewsAtTwoThirdsOfTheLifetime_beforeExpiry_withoutReplaces() throws Exception {
        chain.createUser(DAN);
        chain.awaitStep(DAN, "issued");
        X509Certificate first = Renewals.leaf(chain, DAN);
        Instant notBefore = first.getNotBefore().toInstant();
        Instant notAfter = first.getNotAfter().toInstant();
        Duration validity = Duration.between(notBefore, notAfter);

        X509Certificate second = Renewals.awaitAnother(chain, DAN, first, validity);
        Instant seen = Instant.now();

        assertThat(seen).as("renewed before the first certificate expired").isBefore(notAfter);
        Instant earliest = notBefore.plusMillis((long) (validity.toMillis() * (2.0 / 3 - JITTER)));
        assertThat(seen).as("not before two thirds of the validity, less the jitter").isAfter(earliest);
        assertThat(second.getNotBefore().toInstant()).isBefore(notAfter);
        assertThat(second.getSubjectAlternativeNames()).containsExactly(List.of(1, DAN));
        List<String> replaces = Renewals.orderReplaces(chain, DAN);
        assertThat(replaces).as("the test CA's newOrder lines of " + DAN).hasSizeGreaterThanOrEqualTo(2)
                .containsOnly("none");
        assertThat(OrgStore.auditEvents(chain.org, DAN)).contains("enrolment-issued", "enrolment-renewed");
    }

    /**
     * The test CA stops answering before a user is created and stays so for {@value #OUTAGE_SECONDS} s: the
     * enrolment shows its failed attempts and the reason while the CA is down, and completes once it is back.
     * The CA kept its state (paused, not restarted); the requests that waited in its ports during the outage
     * are answered when it goes on, after their client gave up.
     */
    @Test
    void theCaDownForAWhile_theEnrolmentRetriesAndSaysWhy_thenCompletes() throws Exception {
        Instant down = Instant.now();
        chain.ca.pause();
        JsonNode failing;
        try {
            chain.createUser(ERIN);
            failing = await().atMost(EnrolmentChain.WAIT).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                    .until(() -> chain.enrolment(ERIN), e -> e.path("attempts").asInt() > 0);
            long left = Duration.ofSeconds(OUTAGE_SECONDS).minus(Duration.between(down, Instant.now())).toMillis();
            Thread.sleep(Math.max(0, left)); // the CA stays down for the whole outage
            assertThat(chain.enrolment(ERIN).path("status").asText()).isNotEqualTo("issued");
        } finally {
            chain.ca.resume();
        }

        assertThat(failing.path("status").asText()).as(failing.toString()).isIn("pending", "none", "failed");
        assertThat(failing.path("problemType").asText()).as(failing.toString()).isEqualTo("connection");
        assertThat(failing.path("reason").asText()).as(failing.toString()).isNotBlank();
        assertThat(failing.path("nextAttemptAt").asText()).as("a retry is scheduled: " + failing).isNotBlank();
        JsonNode issued = chain.awaitStep(ERIN, "issued");
        assertThat(issued.path("status").asText()).isEqualTo("issued");
        assertThat(Renewals.leaf(chain, ERIN).getSubjectAlternativeNames()).containsExactly(List.of(1, ERIN));
    }
}
