package dev.acmesmime.ca;

import dev.acmesmime.ca.forward.ForwardFixtures;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ch.qos.logback.classic.spi.ILoggingEvent;

import dev.acmesmime.dkim.DkimSigner;
import dev.acmesmime.metrics.MetricNames;
import dev.acmesmime.rfc8823.FailureCode;
import dev.acmesmime.store.AcmeSmimeStore;
import dev.acmesmime.store.AuditEvent;
import dev.acmesmime.testing.MutableClock;
import dev.acmesmime.testing.TestKeys;

/** Issuing challenges on a real H2 store: the rules of the mailet, and the rate limit under a race. */
class ChallengeIssuerTest {
    static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");
    static final String TOKEN = "LgYemJLy3F1LDkiJrdIGbEzyFJyOyf6vBdyZ1TG3sME=";

    @TempDir
    Path home;
    AcmeSmimeStore store;
    MutableClock clock;
    DkimSigner signer;

    @BeforeEach
    void setUp() throws IOException {
        clock = new MutableClock(NOW);
        store = ForwardFixtures.openStore(home, clock);
        signer = DkimSigner.builder().privateKey(TestKeys.rsa(2048).getPrivate()).selector("s1").clock(clock).build();
    }

    @AfterEach
    void tearDown() {
        store.close();
    }

    private ChallengeIssuer issuer(int recipientLimit, int domainLimit) {
        return new ChallengeIssuer(store, signer, new ChallengeIssuer.Limits(Duration.ofHours(24), recipientLimit,
                domainLimit, Duration.ofHours(1)), "held", clock);
    }

    @Test
    void metrics_countSignedAndHeldPerLeadingCode_andEachDecisionLogsItsCodeAndEvidenceId() {
        CountingMetrics metrics = new CountingMetrics();
        ChallengeIssuer issuer = new ChallengeIssuer(store, signer, new ChallengeIssuer.Limits(Duration.ofHours(24), 1,
                600, Duration.ofHours(1)), "held", clock, metrics);
        OutgoingChallenge c = challenge("<c9@ca.example>", "carol@example.org");
        byte[] noAutoSubmitted = new String(c.raw(), StandardCharsets.US_ASCII)
                .replace("Auto-Submitted: auto-generated; type=acme\r\n", "").getBytes(StandardCharsets.US_ASCII);

        List<Issuance> results = new ArrayList<>();
        try (CapturedLog log = new CapturedLog(CaDecisions.class)) {
            results.add(issuer.sign(challenge("<c1@ca.example>", "alice@example.org")));
            results.add(issuer.sign(challenge("<c2@ca.example>", "bob@example.org")));
            results.add(issuer.sign(challenge("<c3@ca.example>", "alice@example.org")));
            results.add(issuer.sign(challenge("<c4@ca.example>", "bob@example.org")));
            results.add(issuer.sign(new OutgoingChallenge(c.raw(), c.envelopeFrom(),
                    List.of("carol@example.org", "dave@example.org"), c.remoteAddress())));
            results.add(issuer.sign(new OutgoingChallenge(noAutoSubmitted, c.envelopeFrom(), c.recipients(),
                    c.remoteAddress())));

            assertThat(log.events()).hasSize(results.size());
            for (int i = 0; i < results.size(); i++) {
                ILoggingEvent e = log.events().get(i);
                String evidence = Long.toString(results.get(i).evidenceId());
                assertThat(e.getMDCPropertyMap()).containsExactlyInAnyOrderEntriesOf(
                        Map.of("acme-smime.role", "ca", "acme-smime.evidence", evidence));
                assertThat(e.getFormattedMessage()).endsWith("evidence " + evidence)
                        .doesNotContain("@example.org", TOKEN);
            }
            assertThat(log.events().get(0).getFormattedMessage()).isEqualTo("acme-smime ca challenge signed: evidence "
                    + results.get(0).evidenceId());
            assertThat(log.events().get(4).getFormattedMessage()).contains("held: recipients");
        }

        String held = MetricNames.CA_CHALLENGES_HELD;
        assertThat(metrics.counters()).containsExactlyInAnyOrderEntriesOf(Map.of(
                MetricNames.CA_CHALLENGES_SIGNED, 2L,
                held, 4L,
                MetricNames.child(held, IssueRule.RATE_LIMIT_RECIPIENT.code()), 2L,
                MetricNames.child(held, IssueRule.RECIPIENTS.code()), 1L,
                MetricNames.byCode(held, FailureCode.AUTO_SUBMITTED), 1L));
        assertThat(MetricNames.byCode(held, FailureCode.AUTO_SUBMITTED)).isEqualTo(held + ".auto-submitted");
    }

    static OutgoingChallenge challenge(String messageId, String to) {
        String mail = "Auto-Submitted: auto-generated; type=acme\r\nMessage-ID: " + messageId
                + "\r\nFrom: acme+t1@ca.example\r\nTo: " + to + "\r\nSubject: ACME: " + TOKEN
                + "\r\nContent-Type: text/plain\r\nMIME-Version: 1.0\r\n\r\nchallenge\r\n";
        return new OutgoingChallenge(mail.getBytes(StandardCharsets.US_ASCII), "acme@ca.example", List.of(to),
                "127.0.0.1");
    }

    @Test
    void aGoodChallenge_isSignedAndRecorded_withEvidenceAndAudit() {
        Issuance r = issuer(5, 600).sign(challenge("<c1@ca.example>", "alice@example.org"));

        assertThat(r).isInstanceOfSatisfying(Issuance.Issued.class, i -> {
            assertThat(new String(i.signed(), StandardCharsets.US_ASCII)).startsWith("DKIM-Signature:");
            assertThat(i.challenge().tag()).contains("t1");
        });
        assertThat(store.issuedChallenges().find("<c1@ca.example>")).isPresent();
        assertThat(store.evidence().find(r.evidenceId()).orElseThrow().outcome()).isEqualTo("signed");
        assertThat(ForwardFixtures.audit(store, AuditEvent.CHALLENGE_SIGNED.value())).hasSize(1);
    }

    @Test
    void b4_anEnvelopeToAnotherAddress_isHeldAsRecipients() {
        OutgoingChallenge c = challenge("<c1@ca.example>", "alice@example.org");
        Issuance r = issuer(5, 600).sign(new OutgoingChallenge(c.raw(), c.envelopeFrom(),
                List.of("alice@example.org", "bob@example.org"), c.remoteAddress()));

        assertThat(r).isInstanceOfSatisfying(Issuance.Held.class, h -> {
            assertThat(h.rules()).containsExactly(IssueRule.RECIPIENTS);
            assertThat(h.codes()).containsExactly("recipients");
        });
        assertThat(store.issuedChallenges().find("<c1@ca.example>")).isEmpty();
        assertThat(ForwardFixtures.audit(store, AuditEvent.CHALLENGE_HELD.value()))
                .singleElement().satisfies(a -> assertThat(a.outcome()).contains("recipients"));
    }

    @Test
    void c12_aChallengeWithoutAutoSubmitted_isHeldWithTheCoreCode() {
        OutgoingChallenge c = challenge("<c1@ca.example>", "alice@example.org");
        byte[] raw = new String(c.raw(), StandardCharsets.US_ASCII).replace("Auto-Submitted: auto-generated; type=acme\r\n",
                "").getBytes(StandardCharsets.US_ASCII);
        Issuance r = issuer(5, 600).sign(new OutgoingChallenge(raw, c.envelopeFrom(), c.recipients(), c.remoteAddress()));

        assertThat(r).isInstanceOfSatisfying(Issuance.Held.class,
                h -> assertThat(h.failures()).containsExactly(FailureCode.AUTO_SUBMITTED));
    }

    @Test
    void theSameMessageIdTwice_isHeldAsDuplicateMessageId() {
        ChallengeIssuer issuer = issuer(5, 600);
        issuer.sign(challenge("<c1@ca.example>", "alice@example.org"));

        Issuance r = issuer.sign(challenge("<c1@ca.example>", "bob@example.org"));

        assertThat(r).isInstanceOfSatisfying(Issuance.Held.class,
                h -> assertThat(h.codes()).containsExactly("duplicate-message-id"));
    }

    @Test
    void aChallengeWithoutMessageId_isHeldNotThrown() {
        OutgoingChallenge c = challenge("<c1@ca.example>", "alice@example.org");
        byte[] raw = new String(c.raw(), StandardCharsets.US_ASCII).replace("Message-ID: <c1@ca.example>\r\n", "")
                .getBytes(StandardCharsets.US_ASCII);
        Issuance r = issuer(5, 600).sign(new OutgoingChallenge(raw, c.envelopeFrom(), c.recipients(), c.remoteAddress()));

        assertThat(r).isInstanceOfSatisfying(Issuance.Held.class,
                h -> assertThat(h.codes()).containsExactly("message-id"));
        assertThat(ForwardFixtures.audit(store, AuditEvent.CHALLENGE_HELD.value())).hasSize(1);
    }

    @Test
    void rateLimits_perRecipientThenPerDomain() {
        ChallengeIssuer issuer = issuer(1, 2);
        assertThat(issuer.sign(challenge("<c1@ca.example>", "alice@example.org"))).isInstanceOf(Issuance.Issued.class);
        assertThat(issuer.sign(challenge("<c2@ca.example>", "alice@example.org"))).isInstanceOfSatisfying(
                Issuance.Held.class, h -> assertThat(h.codes()).containsExactly("rate-limit-recipient"));
        assertThat(issuer.sign(challenge("<c3@ca.example>", "bob@example.org"))).isInstanceOf(Issuance.Issued.class);
        assertThat(issuer.sign(challenge("<c4@ca.example>", "carol@example.org"))).isInstanceOfSatisfying(
                Issuance.Held.class, h -> assertThat(h.codes()).containsExactly("rate-limit-domain"));
    }

    @Test
    void twoNodesRacingForTheLastPlace_onlyOneChallengeIsIssued() throws Exception {
        int racers = 8;
        // one issuer per "node", all on one database; the domain limit leaves one place
        List<ChallengeIssuer> nodes = new ArrayList<>();
        for (int i = 0; i < racers; i++) {
            nodes.add(issuer(100, 1));
        }
        ExecutorService pool = Executors.newFixedThreadPool(racers);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<Issuance>> results = new ArrayList<>();
            for (int i = 0; i < racers; i++) {
                ChallengeIssuer node = nodes.get(i);
                OutgoingChallenge c = challenge("<race-" + i + "@ca.example>", "user" + i + "@example.org");
                Callable<Issuance> task = () -> {
                    start.await();
                    return node.sign(c);
                };
                results.add(pool.submit(task));
            }
            start.countDown();
            int issued = 0;
            for (Future<Issuance> f : results) {
                if (f.get(60, TimeUnit.SECONDS) instanceof Issuance.Issued) {
                    issued++;
                }
            }
            assertThat(issued).isEqualTo(1);
            assertThat(store.issuedChallenges().countForDomainSince("example.org", NOW.minusSeconds(1))).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }
}
