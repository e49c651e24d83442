package dev.acmesmime.enrolment;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Random;

import org.junit.jupiter.api.Test;

import dev.acmesmime.acme.RenewalWindow;

/** Renewal times: in the CA's ARI window (RFC 9773 §4.2), else at two thirds of the lifetime minus jitter. */
class RenewalPolicyTest {
    private static final Instant NOT_BEFORE = Instant.parse("2026-12-01T00:00:00Z");
    private static final Instant NOT_AFTER = NOT_BEFORE.plus(Duration.ofDays(90));
    private static final Instant TWO_THIRDS = NOT_BEFORE.plus(Duration.ofDays(60));

    @Test
    void withoutAriAndWithoutJitterItIsTwoThirdsOfTheLifetime() {
        RenewalPolicy policy = new RenewalPolicy(0, new Random(1));
        assertThat(policy.renewAt(NOT_BEFORE, NOT_AFTER, Optional.empty(), NOT_BEFORE)).isEqualTo(TWO_THIRDS);
    }

    @Test
    void jitterSpreadsRenewalsOverTheShareOfTheLifetimeBeforeTwoThirds() {
        RenewalPolicy policy = new RenewalPolicy(0.1, new Random(7));
        Instant earliest = TWO_THIRDS.minus(Duration.ofDays(9));
        long distinctHours = java.util.stream.IntStream.range(0, 500)
                .mapToObj(i -> policy.renewAt(NOT_BEFORE, NOT_AFTER, Optional.empty(), NOT_BEFORE))
                .peek(t -> assertThat(t).isBetween(earliest, TWO_THIRDS))
                .map(t -> t.getEpochSecond() / 3600).distinct().count();
        assertThat(distinctHours).as("500 mailboxes issued together renew over many hours").isGreaterThan(100);
    }

    @Test
    void withAriItIsARandomPointInTheWindow() {
        Instant start = NOT_BEFORE.plus(Duration.ofDays(30));
        Instant end = start.plus(Duration.ofDays(2));
        RenewalWindow window = new RenewalWindow(start, end, Optional.empty());
        RenewalPolicy policy = new RenewalPolicy(0.1, new Random(3));
        for (int i = 0; i < 100; i++) {
            assertThat(policy.renewAt(NOT_BEFORE, NOT_AFTER, Optional.of(window), NOT_BEFORE))
                    .isBetween(start, end);
        }
    }

    @Test
    void aWindowInThePastMeansNow() {
        Instant now = NOT_BEFORE.plus(Duration.ofDays(80));
        RenewalWindow past = new RenewalWindow(NOT_BEFORE.plus(Duration.ofDays(10)),
                NOT_BEFORE.plus(Duration.ofDays(11)), Optional.empty());
        RenewalPolicy policy = new RenewalPolicy(0.1, new Random(3));
        assertThat(policy.renewAt(NOT_BEFORE, NOT_AFTER, Optional.of(past), now)).isEqualTo(now);
        assertThat(policy.notYetDue(NOT_BEFORE, NOT_AFTER, Optional.of(past), now)).isEmpty();
    }

    @Test
    void aWindowNotYetBegunIsLookedAtAgainNoLaterThanTheCasRetryAfter() {
        Instant now = NOT_BEFORE.plus(Duration.ofDays(1));
        Instant retryAfter = now.plus(Duration.ofHours(6));
        RenewalWindow later = new RenewalWindow(NOT_BEFORE.plus(Duration.ofDays(50)),
                NOT_BEFORE.plus(Duration.ofDays(52)), Optional.of(retryAfter));
        RenewalPolicy policy = new RenewalPolicy(0.1, new Random(3));
        assertThat(policy.notYetDue(NOT_BEFORE, NOT_AFTER, Optional.of(later), now)).contains(retryAfter);
    }

    @Test
    void withoutAriARecheckRenewsOnlyInsideTheJitteredBand() {
        RenewalPolicy policy = new RenewalPolicy(0.1, new Random(3));
        Instant early = NOT_BEFORE.plus(Duration.ofDays(40));
        assertThat(policy.notYetDue(NOT_BEFORE, NOT_AFTER, Optional.empty(), early)).hasValueSatisfying(t ->
                assertThat(t).isBetween(TWO_THIRDS.minus(Duration.ofDays(9)), TWO_THIRDS));
        assertThat(policy.notYetDue(NOT_BEFORE, NOT_AFTER, Optional.empty(), TWO_THIRDS)).isEmpty();
    }
}
