package dev.acmesmime.ca.forward;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;

import dev.acmesmime.store.RetryPolicy;

/**
 * The per-process delivery settings from {@code conf/acme-smime.properties}: the
 * {@link ForwardTarget} ({@code forward.url} and friends) and how the {@link DeliveryWorker} polls
 * and retries.
 * <table>
 * <caption>delivery settings</caption>
 * <tr><th>key</th><th>default</th><th>meaning</th></tr>
 * <tr><td>{@value #POLL_MILLIS}</td><td>1000</td><td>how often the outbox is polled (a new result wakes the worker at once)</td></tr>
 * <tr><td>{@value #BATCH_SIZE}</td><td>50</td><td>items claimed at once</td></tr>
 * <tr><td>{@value #THREADS}</td><td>16</td><td>sends of one batch in flight at once; at least the ACME server's answer time times the result rate (Little's law: 50 ms x 200/s = 10)</td></tr>
 * <tr><td>{@value #JITTER}</td><td>0.5</td><td>random extra delay as a fraction of the back-off delay</td></tr>
 * <tr><td>{@value #RETRY_INITIAL_SECONDS}</td><td>30</td><td>delay after the first failed attempt, doubling</td></tr>
 * <tr><td>{@value #RETRY_MAX_SECONDS}</td><td>1800</td><td>longest delay between attempts</td></tr>
 * <tr><td>{@value #RETRY_MAX_ATTEMPTS}</td><td>200</td><td>attempts before an item fails (items also stop when the challenge expires)</td></tr>
 * <tr><td>{@value #RETRY_PROBE_SECONDS}</td><td>30</td><td>while the ACME server refuses, one waiting result is sent this often whatever its back-off, without using up an attempt; when it gets through, every waiting result is sent at once ({@link DestinationProbe}). 0 = no probes: results then wait out their back-off, up to 1.5 x {@value #RETRY_MAX_SECONDS} after the server's recovery</td></tr>
 * </table>
 */
public record ForwardSettings(Optional<ForwardTarget> target, Duration pollInterval, int batchSize, double jitter,
                              RetryPolicy retryPolicy, int threads, Duration probeInterval) {

    public static final String POLL_MILLIS = "forward.pollMillis";
    public static final String BATCH_SIZE = "forward.batchSize";
    public static final String JITTER = "forward.jitter";
    public static final String THREADS = "forward.threads";
    public static final String RETRY_INITIAL_SECONDS = "forward.retry.initialSeconds";
    public static final String RETRY_MAX_SECONDS = "forward.retry.maxSeconds";
    public static final String RETRY_MAX_ATTEMPTS = "forward.retry.maxAttempts";
    public static final String RETRY_PROBE_SECONDS = "forward.retry.probeSeconds";

    public ForwardSettings {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(pollInterval, "pollInterval");
        Objects.requireNonNull(retryPolicy, "retryPolicy");
        Objects.requireNonNull(probeInterval, "probeInterval");
    }

    /**
     * Reads the settings; the target is empty when {@value ForwardTarget#URL} is not set.
     *
     * @throws IllegalArgumentException with a message that starts with the key at fault
     */
    public static ForwardSettings fromProperties(Properties p, Path home) {
        Optional<ForwardTarget> target = ForwardTarget.configured(p)
                ? Optional.of(ForwardTarget.fromProperties(p, home)) : Optional.empty();
        long poll = number(p, POLL_MILLIS, 1000, 10, 600_000);
        int batch = (int) number(p, BATCH_SIZE, 50, 1, 1000);
        double jitter;
        try {
            jitter = Double.parseDouble(p.getProperty(JITTER, "0.5").trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(JITTER + ": not a number", e);
        }
        if (!(jitter >= 0 && jitter <= 1)) {
            throw new IllegalArgumentException(JITTER + ": must be 0..1");
        }
        int threads = (int) number(p, THREADS, 16, 1, 64);
        long probe = number(p, RETRY_PROBE_SECONDS, 30, 0, 86_400);
        return new ForwardSettings(target, Duration.ofMillis(poll), batch, jitter, retryPolicy(p), threads,
                Duration.ofSeconds(probe));
    }

    /** Only the retry keys (the store is opened with this policy before any target is read). */
    public static RetryPolicy retryPolicy(Properties p) {
        long initial = number(p, RETRY_INITIAL_SECONDS, 30, 1, 86_400);
        long max = number(p, RETRY_MAX_SECONDS, 1800, 1, 86_400);
        if (max < initial) {
            throw new IllegalArgumentException(RETRY_MAX_SECONDS + ": must be at least " + RETRY_INITIAL_SECONDS);
        }
        int attempts = (int) number(p, RETRY_MAX_ATTEMPTS, 200, 1, 100_000);
        return new RetryPolicy(Duration.ofSeconds(initial), Duration.ofSeconds(max), attempts,
                RetryPolicy.DEFAULT.lease());
    }

    private static long number(Properties p, String key, long dflt, long min, long max) {
        String v = p.getProperty(key);
        if (v == null || v.isBlank()) {
            return dflt;
        }
        long n;
        try {
            n = Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + ": '" + v + "' is not a number", e);
        }
        if (n < min || n > max) {
            throw new IllegalArgumentException(key + ": must be " + min + ".." + max + ", got " + n);
        }
        return n;
    }
}
