package dev.acmesmime.enrolment;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

/** At most N orders per minute and profile; a refused order learns when the next token comes. */
class OrderRateLimiterTest {
    private static final Instant NOW = Instant.parse("2026-12-06T10:00:00Z");

    @Test
    void aFullBucketThenOneOrderPerSixtiethOfAMinutePerProfile() {
        OrderRateLimiter limiter = new OrderRateLimiter(6);
        for (int i = 0; i < 6; i++) {
            assertThat(limiter.acquire("a", NOW)).isEmpty();
        }
        assertThat(limiter.acquire("a", NOW)).contains(NOW.plusSeconds(10));
        assertThat(limiter.acquire("b", NOW)).as("another profile has its own bucket").isEmpty();
        assertThat(limiter.acquire("a", NOW.plus(Duration.ofSeconds(10)))).isEmpty();
        assertThat(limiter.acquire("a", NOW.plus(Duration.ofSeconds(10)))).isPresent();
    }
}
