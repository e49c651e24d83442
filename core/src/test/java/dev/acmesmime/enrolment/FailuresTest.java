package dev.acmesmime.enrolment;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.acmesmime.acme.CaProblem;
import dev.acmesmime.metrics.MetricNames;
import dev.acmesmime.store.Enrolment;
import dev.acmesmime.store.EnrolmentStep;
import dev.acmesmime.store.RetryPolicy;
import dev.acmesmime.testing.MutableClock;

/** Failed steps: Retry-After for rateLimited, exponential back-off otherwise, the CA's problem kept. */
class FailuresTest {
    private static final Instant NOW = Instant.parse("2026-12-06T10:00:00Z");
    private final MutableClock clock = new MutableClock(NOW);
    private final Failures failures = new Failures(new RetryPolicy(Duration.ofSeconds(60), Duration.ofSeconds(600),
            Integer.MAX_VALUE, Duration.ofMinutes(5)), clock);
    private final Enrolment posted = Enrolment.of("alice@org.test").withProfile("main")
            .withStep(EnrolmentStep.POSTED).withOrderUrl(URI.create("https://ca.test/order/1"));

    @Test
    void rateLimitedWaitsForTheCasRetryAfterAtTheSameStep() {
        Instant retryAfter = NOW.plus(Duration.ofMinutes(17));
        Step s = failures.fromCa(posted, new CaProblem(CaProblem.acmeType("rateLimited"), "slow down", 429,
                Optional.of(retryAfter)));
        assertThat(s.enrolment().step()).isEqualTo(EnrolmentStep.POSTED);
        assertThat(s.enrolment().nextAttemptAt()).contains(retryAfter);
        assertThat(s.enrolment().attempts()).isEqualTo(1);
        assertThat(s.enrolment().problemType()).contains(CaProblem.acmeType("rateLimited"));
        assertThat(s.counter()).contains(MetricNames.ENROLMENT_FAILURES + ".rate-limited");
        assertThat(s.proceed()).isFalse();
    }

    @Test
    void theBackOffDoublesUpToTheMaximum() {
        CaProblem down = CaProblem.client(CaProblem.CONNECTION, "connection refused");
        Enrolment e = posted;
        long[] expected = {60, 120, 240, 480, 600, 600};
        for (long seconds : expected) {
            e = failures.fromCa(e, down).enrolment();
            assertThat(e.nextAttemptAt()).contains(NOW.plusSeconds(seconds));
            assertThat(e.step()).as("a retryable problem keeps the step and its order").isEqualTo(EnrolmentStep.POSTED);
        }
        assertThat(e.attempts()).isEqualTo(expected.length);
    }

    @Test
    void aRefusalFailsTheEnrolmentWithTheCasProblemVisibleAndTriesAgainLater() {
        Step s = failures.fromCa(posted, new CaProblem(CaProblem.acmeType("unauthorized"), "bad EAB MAC", 401,
                Optional.empty()));
        assertThat(s.enrolment().step()).isEqualTo(EnrolmentStep.FAILED);
        assertThat(s.enrolment().problemType()).contains(CaProblem.acmeType("unauthorized"));
        assertThat(s.enrolment().problemDetail()).contains("bad EAB MAC");
        assertThat(s.enrolment().nextAttemptAt()).contains(NOW.plusSeconds(60));
        assertThat(s.audit()).isPresent();
    }

    @Test
    void aDeadOrderGoesBackToANewOrder() {
        Step s = failures.orderDead(posted, EnrolmentFailure.ORDER_INVALID,
                new CaProblem(CaProblem.acmeType("incorrectResponse"), "wrong digest", 0, Optional.empty()));
        assertThat(s.enrolment().step()).isEqualTo(EnrolmentStep.KEY_READY);
        assertThat(s.counter()).contains(MetricNames.ENROLMENT_FAILURES + ".order-invalid");
    }
}
