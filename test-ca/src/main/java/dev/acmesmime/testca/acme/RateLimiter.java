package dev.acmesmime.testca.acme;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code rateLimit.ordersPerMinute}: at most that many newOrders per account in any minute (a sliding
 * window); the next one is rateLimited with the Retry-After when a slot frees (RFC 8555 §6.6). 0 turns
 * the limit off.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8555#section-6.6">RFC 8555 §6.6</a>
 */
public final class RateLimiter {
    private static final Duration WINDOW = Duration.ofMinutes(1);

    private final int perMinute;
    private final Clock clock;
    private final Map<String, Deque<Instant>> recent = new ConcurrentHashMap<>();

    public RateLimiter(int perMinute, Clock clock) {
        this.perMinute = perMinute;
        this.clock = clock;
    }

    /** Counts one newOrder of the account, or throws rateLimited when it is over the limit. */
    public void acquire(String accountId) {
        if (perMinute <= 0) {
            return;
        }
        Instant now = clock.instant();
        Deque<Instant> times = recent.computeIfAbsent(accountId, a -> new ArrayDeque<>());
        synchronized (times) {
            while (!times.isEmpty() && !times.peekFirst().isAfter(now.minus(WINDOW))) {
                times.removeFirst();
            }
            if (times.size() >= perMinute) {
                Duration wait = Duration.between(now, times.peekFirst().plus(WINDOW));
                throw Problem.rateLimited("account " + accountId + " may place " + perMinute
                        + " orders a minute (rateLimit.ordersPerMinute)", wait).exception();
            }
            times.addLast(now);
        }
    }
}
