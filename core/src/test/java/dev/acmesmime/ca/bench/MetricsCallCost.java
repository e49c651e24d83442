package dev.acmesmime.ca.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;

import dev.acmesmime.metrics.DropwizardPluginMetrics;
import dev.acmesmime.metrics.MetricNames;
import dev.acmesmime.rfc8823.FailureCode;

/**
 * The CPU time of one metrics call as James records it ({@link DropwizardPluginMetrics}): counters
 * by code and timers alternately, on one thread, warm. Precise where the pipeline's on/off rounds
 * are not: a few calls per mail against milliseconds of work per mail.
 */
final class MetricsCallCost {
    private static final int CALLS = 2_000_000;

    private MetricsCallCost() {
    }

    /** CPU nanoseconds per call, measured after a warm-up of the same size. */
    static double nanosPerCall() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        DropwizardPluginMetrics metrics = new DropwizardPluginMetrics();
        String[] counters = {MetricNames.child(MetricNames.CA_RESPONSES, "forwarded"),
                MetricNames.byCode(MetricNames.CA_RESPONSES_REFUSED, FailureCode.values()[0]),
                MetricNames.child(MetricNames.DKIM_KEY_LOOKUPS, "found")};
        Duration d = Duration.ofMillis(3);
        calls(metrics, counters, d);
        long c0 = threads.getCurrentThreadCpuTime();
        calls(metrics, counters, d);
        return (threads.getCurrentThreadCpuTime() - c0) / (double) CALLS;
    }

    private static void calls(DropwizardPluginMetrics metrics, String[] counters, Duration d) {
        for (int i = 0; i < CALLS / 2; i++) {
            metrics.increment(counters[i % counters.length]);
            metrics.record(MetricNames.DKIM_VERIFY_TIME, d);
        }
    }
}
