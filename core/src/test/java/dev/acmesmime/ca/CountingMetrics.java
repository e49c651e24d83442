package dev.acmesmime.ca;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongSupplier;

import dev.acmesmime.metrics.PluginMetrics;

/** A {@link PluginMetrics} that keeps what it is given, for tests that assert exact counts. */
public final class CountingMetrics implements PluginMetrics {
    private final Map<String, Long> counters = new TreeMap<>();
    private final Map<String, List<Duration>> timers = new TreeMap<>();
    private final Map<String, LongSupplier> gauges = new TreeMap<>();

    @Override
    public synchronized void increment(String name) {
        counters.merge(name, 1L, Long::sum);
    }

    @Override
    public synchronized void record(String name, Duration duration) {
        timers.computeIfAbsent(name, n -> new ArrayList<>()).add(duration);
    }

    @Override
    public synchronized void gauge(String name, LongSupplier value) {
        gauges.put(name, value);
    }

    /** Every counter so far, by name. */
    public synchronized Map<String, Long> counters() {
        return new TreeMap<>(counters);
    }

    /** The durations recorded under {@code name}, in order. */
    public synchronized List<Duration> timer(String name) {
        return List.copyOf(timers.getOrDefault(name, List.of()));
    }

    /** Reads gauge {@code name} now, as a scrape does. */
    public synchronized long gauge(String name) {
        LongSupplier g = gauges.get(name);
        if (g == null) {
            throw new AssertionError("no gauge " + name + " among " + gauges.keySet());
        }
        return g.getAsLong();
    }
}
