package dev.acmesmime.ca.forward;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.acmesmime.metrics.MetricNames;
import dev.acmesmime.metrics.PluginMetrics;
import dev.acmesmime.store.OutboxStore;

/**
 * What the {@link DeliveryWorker} reports to the operator's dashboards.
 * <table>
 * <caption>delivery metrics</caption>
 * <tr><th>name</th><th>kind</th><th>meaning</th></tr>
 * <tr><td>{@code acme-smime.ca.forward.attempts}</td><td>counter</td><td>HTTP attempts to the ACME server</td></tr>
 * <tr><td>{@code acme-smime.ca.forward.failures}</td><td>counter</td><td>attempts without a 2xx answer
 *     (no answer, or refused); the item is retried or runs out</td></tr>
 * <tr><td>{@code acme-smime.ca.forward.latency}</td><td>timer</td><td>from the response's arrival (its
 *     validation, right after SMTP) to the ACME server's 2xx answer, back-off included</td></tr>
 * <tr><td>{@code acme-smime.ca.outbox.depth}</td><td>gauge</td><td>results waiting in the outbox, pending or
 *     failed</td></tr>
 * <tr><td>{@code acme-smime.ca.outbox.oldest-age-seconds}</td><td>gauge</td><td>age of the oldest waiting result,
 *     0 when none waits</td></tr>
 * </table>
 * The gauges ask the store when metrics are scraped; while the store cannot answer they read -1,
 * which a dashboard shows as a gap in the queue rather than as an empty queue.
 */
final class ForwardMetrics {
    /** A gauge's value while the store cannot be read. */
    static final long UNKNOWN = -1;

    private static final Logger LOGGER = LoggerFactory.getLogger(ForwardMetrics.class);

    private final PluginMetrics metrics;
    private final Clock clock;

    ForwardMetrics(PluginMetrics metrics, Clock clock) {
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Registers the two outbox gauges on {@code outbox}; once per process, with its one worker. */
    void registerOutboxGauges(OutboxStore outbox) {
        metrics.gauge(MetricNames.CA_OUTBOX_DEPTH, guarded(outbox::countWaiting));
        metrics.gauge(MetricNames.CA_OUTBOX_OLDEST_AGE, guarded(() -> outbox.oldestWaiting()
                .map(t -> Math.max(0, Duration.between(t, clock.instant()).toSeconds())).orElse(0L)));
    }

    /** One HTTP attempt for {@code e}, answered with {@code a} at {@code answeredAt}. */
    void attempt(ForwardEnvelope e, DeliveryAttempt a, Instant answeredAt) {
        metrics.increment(MetricNames.CA_FORWARD_ATTEMPTS);
        if (!a.delivered()) {
            metrics.increment(MetricNames.CA_FORWARD_FAILURES);
        } else if (e.receivedAt() != null) {
            metrics.record(MetricNames.CA_FORWARD_LATENCY, Duration.between(e.receivedAt(), answeredAt));
        }
    }

    private static LongSupplier guarded(LongSupplier read) {
        return () -> {
            try {
                return read.getAsLong();
            } catch (RuntimeException ex) {
                // a scrape during a database outage must still answer; the outage is logged elsewhere too
                LOGGER.debug("acme-smime outbox gauge: {}", ex.toString());
                return UNKNOWN;
            }
        };
    }
}
