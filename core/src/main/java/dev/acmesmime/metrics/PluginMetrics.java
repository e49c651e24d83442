package dev.acmesmime.metrics;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Where core reports what it did, for the operator's dashboards: counters, durations and gauges
 * named by {@link MetricNames}. Core stays free of James types behind this interface; the James
 * adapter feeds James's {@code MetricFactory} (WebAdmin {@code /metrics}, James's Grafana
 * dashboards). Names are bounded: a code or an event may appear in a name, never a mailbox address
 * or a token, so the number of series stays small.
 */
public interface PluginMetrics {

    /** Adds one to counter {@code name}. */
    void increment(String name);

    /** Records one duration under timer {@code name}. */
    void record(String name, Duration duration);

    /** Registers gauge {@code name}, read when metrics are scraped; registering a name again replaces it. */
    void gauge(String name, LongSupplier value);

    /** Records nothing: tests, the CLI and benchmarks that do not measure. */
    PluginMetrics NONE = new PluginMetrics() {
        @Override
        public void increment(String name) {
        }

        @Override
        public void record(String name, Duration duration) {
        }

        @Override
        public void gauge(String name, LongSupplier value) {
        }
    };
}
