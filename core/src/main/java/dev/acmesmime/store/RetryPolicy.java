package dev.acmesmime.store;

import java.time.Duration;
import java.util.Objects;

/**
 * When the outbox tries a failed forward again: after {@code initialDelay}, doubling each time up
 * to {@code maxDelay}, at most {@code maxAttempts} attempts in all; and how long a node may hold
 * an item it is sending before another node may take it over ({@code lease}).
 *
 * @param initialDelay delay after the first failed attempt
 * @param maxDelay     the longest delay between attempts
 * @param maxAttempts  attempts before the item is {@link OutboxState#FAILED failed}
 * @param lease        how long a claim lasts; a node that dies while sending loses the item after it,
 *                     so a forward is delivered at least once (the receiver must accept a repeat)
 */
public record RetryPolicy(Duration initialDelay, Duration maxDelay, int maxAttempts, Duration lease) {

    /** 1 minute doubling to 1 hour, 20 attempts (about 15 hours in all), 5-minute lease. */
    public static final RetryPolicy DEFAULT =
            new RetryPolicy(Duration.ofMinutes(1), Duration.ofHours(1), 20, Duration.ofMinutes(5));

    public RetryPolicy {
        Objects.requireNonNull(initialDelay, "initialDelay");
        Objects.requireNonNull(maxDelay, "maxDelay");
        Objects.requireNonNull(lease, "lease");
        if (initialDelay.isNegative() || maxDelay.compareTo(initialDelay) < 0) {
            throw new IllegalArgumentException("need 0 <= initialDelay <= maxDelay");
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
        if (lease.isNegative() || lease.isZero()) {
            throw new IllegalArgumentException("lease must be positive");
        }
    }

    /** The delay after the {@code attempts}-th failed attempt (1-based). */
    public Duration delayAfter(int attempts) {
        Duration d = initialDelay;
        for (int i = 1; i < attempts && d.compareTo(maxDelay) < 0; i++) {
            d = d.multipliedBy(2);
        }
        return d.compareTo(maxDelay) > 0 ? maxDelay : d;
    }
}
