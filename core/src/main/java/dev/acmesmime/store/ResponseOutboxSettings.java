package dev.acmesmime.store;

import java.time.Duration;
import java.util.Properties;

/**
 * The organisation role's response outbox settings ({@link ResponseOutboxStore}), keys of
 * {@code conf/acme-smime.properties}, all optional:
 * <ul>
 *   <li>{@value #POLL_MILLIS} (default 5000): how often the worker looks for responses due again.</li>
 *   <li>{@value #RETRY_INITIAL_SECONDS} (default 10) and {@value #RETRY_MAX_SECONDS} (default 600): the
 *       delay after the first failed hand-over to James's spool, doubling up to the maximum; retried
 *       until the challenge expires.</li>
 *   <li>{@value #LEASE_SECONDS} (default 120): how long a node holds a response it is sending; a node that
 *       died while holding it (a {@code kill -9} between the claim and the send) loses it to the others,
 *       or to itself once restarted, after this time.</li>
 * </ul>
 *
 * @param pollInterval how often due responses are looked for
 * @param retryPolicy  back-off and lease ({@code maxAttempts} unused: the challenge's expiry ends the retries)
 */
public record ResponseOutboxSettings(Duration pollInterval, RetryPolicy retryPolicy) {
    public static final String POLL_MILLIS = "response.pollMillis";
    public static final String RETRY_INITIAL_SECONDS = "response.retry.initialSeconds";
    public static final String RETRY_MAX_SECONDS = "response.retry.maxSeconds";
    public static final String LEASE_SECONDS = "response.leaseSeconds";
    /** Every default: every 5 s; 10 s doubling to 10 min; 2-minute lease. */
    public static final ResponseOutboxSettings DEFAULT = fromProperties(new Properties());

    /**
     * @throws StoreConfigurationException naming the bad key
     */
    public static ResponseOutboxSettings fromProperties(Properties p) {
        int poll = StoreSettings.intValue(p, POLL_MILLIS, 5000, 100, 3_600_000);
        int initial = StoreSettings.intValue(p, RETRY_INITIAL_SECONDS, 10, 1, 86_400);
        int max = StoreSettings.intValue(p, RETRY_MAX_SECONDS, 600, 1, 86_400);
        if (max < initial) {
            throw new StoreConfigurationException(RETRY_MAX_SECONDS, "must be at least " + RETRY_INITIAL_SECONDS
                    + " (" + initial + "), got " + max);
        }
        int lease = StoreSettings.intValue(p, LEASE_SECONDS, 120, 1, 86_400);
        return new ResponseOutboxSettings(Duration.ofMillis(poll), new RetryPolicy(Duration.ofSeconds(initial),
                Duration.ofSeconds(max), Integer.MAX_VALUE, Duration.ofSeconds(lease)));
    }
}
