package dev.acmesmime.enrolment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import dev.acmesmime.metrics.PluginMetrics;
import dev.acmesmime.store.Enrolment;
import dev.acmesmime.store.EnrolmentStep;
import dev.acmesmime.testca.client.RunningTestCa;

/**
 * A node killed right after it stored the order: the node that takes the mailbox over (a new enroller on the
 * same store, new acme4j sessions) reads the order's challenge again from the CA and finishes that order.
 * The test CA counts exactly one order: no mailbox ever has two live orders.
 */
class EnrolmentRestartTest {
    @RegisterExtension
    static final RunningTestCa CA = RunningTestCa.withDefaults();

    @TempDir
    Path home;

    @Test
    void theNodeTakingOverAfterAKillFinishesTheStoredOrder() {
        String carol = "carol@example.org";
        try (EngineFixture f = new EngineFixture(CA, home)) {
            long before = f.ordersAtTheCa();
            MailboxEnrolment dying = dyingNode(f);
            f.store.enrolments().save(Enrolment.of(carol).withProfile(EngineFixture.PROFILE)
                    .withSchedule(0, Instant.now()));
            Enrolment claimed = f.store.enrolments().claimDue(Instant.now(), "node-a", Duration.ofSeconds(2), 1)
                    .get(0);

            assertThatThrownBy(() -> dying.advance(claimed, "node-a")).isInstanceOf(DyingPendingChallenges.KillNine.class);
            Enrolment ordered = f.store.enrolments().find(carol).orElseThrow();
            assertThat(ordered.step()).isEqualTo(EnrolmentStep.ORDERED);
            assertThat(ordered.orderUrl()).isPresent();
            assertThat(ordered.leaseOwner()).contains("node-a");
            assertThat(f.store.pendingChallenges().findByMailbox(carol, 10)).isEmpty();
            assertThat(f.ordersAtTheCa() - before).isEqualTo(1);
            long accounts = CA.management().stats().path("accounts").asLong();

            try (Enroller nodeB = f.enroller()) {
                f.responder().answer(carol, 0);
                Enrolment issued = f.awaitStep(carol, EnrolmentStep.ISSUED);
                assertThat(issued.orderUrl()).isEqualTo(ordered.orderUrl());
                assertThat(issued.privateKey()).isEqualTo(ordered.privateKey());
            }
            assertThat(f.ordersAtTheCa() - before).as("orders at the test CA").isEqualTo(1);
            assertThat(CA.management().stats().path("accounts").asLong()).as("node B found node A's account")
                    .isEqualTo(accounts);
        }
    }

    /** Node A: the engine alone, on a store whose challenge registration kills the process. */
    private static MailboxEnrolment dyingNode(EngineFixture f) {
        EnrolmentSettings s = f.settings();
        Clock clock = Clock.systemUTC();
        return new MailboxEnrolment(new MailboxEnrolment.Context(f.store.enrolments(),
                new DyingPendingChallenges(f.store.pendingChallenges()), f.store.audit(), f.store,
                CaClients.acme(s.profiles(), f.store.acmeAccounts()), new OrderRateLimiter(s.ordersPerMinute()),
                new RenewalPolicy(0.1, new Random()), new Failures(s.retryPolicy(), clock), s.poll(), s.lease(), clock,
                PluginMetrics.NONE));
    }
}
