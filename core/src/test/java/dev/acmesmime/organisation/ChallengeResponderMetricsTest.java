package dev.acmesmime.organisation;

import static dev.acmesmime.organisation.ChallengeResponderTest.ALICE;
import static dev.acmesmime.organisation.ChallengeResponderTest.BOB;
import static dev.acmesmime.organisation.ChallengeResponderTest.CA;
import static dev.acmesmime.organisation.ChallengeResponderTest.THUMBPRINT;
import static dev.acmesmime.organisation.ChallengeResponderTest.TOKEN_PART2;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.acmesmime.dkim.DkimKeyResolver;
import dev.acmesmime.dkim.DkimPolicyVerifier;
import dev.acmesmime.dkim.DkimSigner;
import dev.acmesmime.metrics.MetricNames;
import dev.acmesmime.rfc8823.AcmeMailInspector;
import dev.acmesmime.rfc8823.MessageKind;
import dev.acmesmime.store.AcmeSmimeStore;
import dev.acmesmime.store.AuditQuery;
import dev.acmesmime.store.PendingChallenge;
import dev.acmesmime.store.StoreSettings;
import dev.acmesmime.testing.DkimDns;
import dev.acmesmime.testing.FreePorts;
import dev.acmesmime.testing.MutableClock;
import dev.acmesmime.testing.RecordingMetrics;
import dev.acmesmime.testing.TestChallenge;
import dev.acmesmime.testing.TestKeys;

/**
 * What {@link ChallengeResponder} tells the operator: exact counters per decision and leading code,
 * DKIM verification times and key lookups by result, and one INFO line per decision under the MDC
 * keys, with its codes and audit id and nothing secret.
 */
@Timeout(120) // hang guard only
class ChallengeResponderMetricsTest {
    @RegisterExtension
    static final DkimDns DNS = DkimDns.keys(k -> k.rsa("ca", 2048).rsa("org", 2048))
            .publish("ca", "ca.test", "ca").publish("org", "org.test", "org");
    static TestKeys caKey;
    static Path keyDirectory;

    @TempDir
    Path home;
    MutableClock clock;
    AcmeSmimeStore store;
    RecordingMetrics metrics = new RecordingMetrics();
    ChallengeResponder testee;
    ListAppender<ILoggingEvent> log = new ListAppender<>();
    Level level;

    @BeforeAll
    static void keys() throws Exception {
        caKey = DNS.key("ca");
        keyDirectory = Files.createDirectory(DNS.dir().resolve("dkim"));
        Files.copy(DNS.key("org").pkcs8(), keyDirectory.resolve("org._domainkey.org.test.pem"));
    }

    @BeforeEach
    void open() throws Exception {
        clock = new MutableClock(Instant.now());
        store = AcmeSmimeStore.builder(StoreSettings.fromProperties(new Properties(), home)).clock(clock).open();
        DkimKeyResolver keys = DkimKeyResolver.builder().server(DNS.server()).metrics(metrics).build();
        testee = ChallengeResponder.builder().store(store)
                .inspector(AcmeMailInspector.builder()
                        .authenticity(DkimPolicyVerifier.builder().keyResolver(keys).metrics(metrics).build())
                        .clock(clock).build())
                .signingKeys(DkimKeyDirectory.open(keyDirectory, clock))
                .metrics(metrics).clock(clock).build();
        log.start();
        Logger logger = (Logger) LoggerFactory.getLogger(ChallengeResponder.class);
        level = logger.getLevel();
        logger.setLevel(Level.INFO);
        logger.addAppender(log);
    }

    @AfterEach
    void close() {
        Logger logger = (Logger) LoggerFactory.getLogger(ChallengeResponder.class);
        logger.detachAppender(log);
        logger.setLevel(level);
        store.close();
    }

    void register(String mailbox, int n) {
        URI url = URI.create("https://ca.test/acme/chall/" + mailbox + "/" + n);
        assertThat(store.pendingChallenges().register(new PendingChallenge.Registration(url, mailbox, CA, TOKEN_PART2,
                THUMBPRINT, clock.instant().plus(Duration.ofHours(1))))).isTrue();
    }

    static byte[] signed(TestChallenge c) throws Exception {
        return DkimSigner.builder().privateKey(caKey.pkcs8()).selector("ca").build().sign(c.build(), MessageKind.CHALLENGE);
    }

    @Test
    void everyDecisionIsCountedOnceAndIgnoredOnesByTheirLeadingCode() throws Exception {
        register(ALICE, 1);
        Decision answered = testee.respond(signed(TestChallenge.builder().to(ALICE)), CA, ALICE);
        assertThat(answered.answered()).as(answered.reason()).isTrue();
        for (int i = 0; i < 3; i++) {
            testee.respond(TestChallenge.builder().to(ALICE).build(), CA, ALICE); // unsigned
        }
        testee.respond(signed(TestChallenge.builder().to(BOB)), CA, BOB);
        testee.respond(signed(TestChallenge.builder().to(BOB)), CA, BOB);
        testee.respond(signed(TestChallenge.builder().to(ALICE)), null, ALICE);
        testee.respond(TestChallenge.builder().to(ALICE).subject("weekly report").build(), CA, ALICE);

        String ignored = MetricNames.ORG_CHALLENGES_IGNORED;
        assertThat(metrics.counters()).as("not-acme mail is no decision: not counted").isEqualTo(Map.of(
                MetricNames.ORG_CHALLENGES_SEEN, 7L,
                MetricNames.ORG_CHALLENGES_ANSWERED, 1L,
                ignored, 6L,
                ignored + ".dkim-none", 3L,
                ignored + ".no-pending-challenge", 2L,
                ignored + ".null-sender", 1L,
                MetricNames.DKIM_KEY_LOOKUPS + ".found", 3L));
        assertThat(metrics.durations(MetricNames.DKIM_VERIFY_TIME)).as("one per inspected mail: not the null sender")
                .hasSize(6).allSatisfy(d -> assertThat(d).isPositive());
    }

    @Test
    void keyLookupsAreCountedByResult() throws Exception {
        DkimKeyResolver keys = DkimKeyResolver.builder().server(DNS.server()).metrics(metrics).build();

        assertThat(keys.lookup("ca", "ca.test").status()).isEqualTo(DkimKeyResolver.Lookup.Status.FOUND);
        assertThat(keys.lookup("nokey", "ca.test").status()).isEqualTo(DkimKeyResolver.Lookup.Status.NO_KEY);
        DkimKeyResolver silent = DkimKeyResolver.builder().server("127.0.0.1:" + FreePorts.udp())
                .timeout(Duration.ofMillis(200)).attempts(1).metrics(metrics).build();
        assertThat(silent.lookup("ca", "ca.test").status()).isEqualTo(DkimKeyResolver.Lookup.Status.TEMPFAIL);

        assertThat(metrics.counters()).isEqualTo(Map.of(MetricNames.DKIM_KEY_LOOKUPS + ".found", 1L,
                MetricNames.DKIM_KEY_LOOKUPS + ".missing", 1L, MetricNames.DKIM_KEY_LOOKUPS + ".temperror", 1L));
    }

    @Test
    void eachDecisionLogsOneInfoLineUnderTheMdcKeysThenClearsThem() throws Exception {
        register(ALICE, 1);
        testee.respond(signed(TestChallenge.builder().to(ALICE)), CA, ALICE);
        testee.respond(TestChallenge.builder().to(BOB).build(), CA, BOB);

        List<Long> auditIds = store.audit().find(AuditQuery.builder().build()).stream().map(a -> a.id()).sorted().toList();
        assertThat(auditIds).hasSize(2);
        List<ILoggingEvent> info = log.list.stream().filter(e -> e.getLevel() == Level.INFO).toList();
        assertThat(info).hasSize(2);
        assertThat(info.get(0).getFormattedMessage()).startsWith("RFC 8823 challenge for " + ALICE
                + " answered (codes answered, audit " + auditIds.get(0) + "): ").doesNotContain(TOKEN_PART2);
        assertThat(info.get(0).getMDCPropertyMap()).containsEntry("acme-smime.role", "organisation")
                .containsEntry("acme-smime.mailbox", ALICE);
        assertThat(info.get(1).getFormattedMessage()).startsWith("RFC 8823 challenge for " + BOB
                + " ignored (codes dkim-none,no-pending-challenge, audit " + auditIds.get(1) + "): ");
        assertThat(info.get(1).getMDCPropertyMap()).containsEntry("acme-smime.mailbox", BOB);
        assertThat(MDC.get("acme-smime.role")).isNull();
        assertThat(MDC.get("acme-smime.mailbox")).isNull();
    }
}
