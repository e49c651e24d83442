package dev.acmesmime.enrolment;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * At most {@code ordersPerMinute} new orders per CA profile from this node ({@code enrolment.ordersPerMinute}):
 * a token bucket per profile, full at start, refilled evenly over the minute. A mailbox refused a token is
 * scheduled for when the next one comes, so no worker thread waits.
 */
final class OrderRateLimiter {
    private final double perMilli;
    private final double capacity;
    private final Map<String, Bucket> buckets = new HashMap<>();

    private static final class Bucket {
        double tokens;
        Instant at;
    }

    OrderRateLimiter(int ordersPerMinute) {
        this.capacity = ordersPerMinute;
        this.perMilli = ordersPerMinute / (double) Duration.ofMinutes(1).toMillis();
    }

    /** Takes a token of {@code profile}: empty when taken, else when to ask again. */
    synchronized Optional<Instant> acquire(String profile, Instant now) {
        Bucket b = buckets.computeIfAbsent(profile, p -> {
            Bucket fresh = new Bucket();
            fresh.tokens = capacity;
            fresh.at = now;
            return fresh;
        });
        long elapsed = Math.max(0, Duration.between(b.at, now).toMillis());
        b.tokens = Math.min(capacity, b.tokens + elapsed * perMilli);
        b.at = now.isAfter(b.at) ? now : b.at;
        if (b.tokens >= 1) {
            b.tokens -= 1;
            return Optional.empty();
        }
        return Optional.of(now.plusMillis((long) Math.ceil((1 - b.tokens) / perMilli)));
    }
}
