package dev.acmesmime.ca.bench;

import java.time.Duration;
import java.util.function.LongSupplier;

import dev.acmesmime.metrics.PluginMetrics;

/**
 * One {@link PluginMetrics} handed to one processor, switched between "on" (a real registry) and
 * "off" ({@link PluginMetrics#NONE}) between rounds: with one processor instance, on and off
 * differ only in the registry's work (plus, for both, this volatile read), not in which instance's
 * JIT profile, caches or construction order a round happens to meet.
 * Gauges always go to the registry: they are registered once and read only when scraped.
 */
final class SwitchedMetrics implements PluginMetrics {
    private final PluginMetrics on;
    private volatile PluginMetrics current = PluginMetrics.NONE;

    SwitchedMetrics(PluginMetrics on) {
        this.on = on;
    }

    void switchOn(boolean recording) {
        current = recording ? on : PluginMetrics.NONE;
    }

    @Override
    public void increment(String name) {
        current.increment(name);
    }

    @Override
    public void record(String name, Duration duration) {
        current.record(name, duration);
    }

    @Override
    public void gauge(String name, LongSupplier value) {
        on.gauge(name, value);
    }
}
