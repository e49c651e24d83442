package dev.acmesmime.testing;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import dev.acmesmime.metrics.PluginMetrics;

/** A {@link PluginMetrics} that keeps what it was told, for exact assertions. */
public final class RecordingMetrics implements PluginMetrics {
    private final Map<String, AtomicLong> counters = new ConcurrentHashMap<>();
    private final Map<String, List<Duration>> timers = new ConcurrentHashMap<>();
    private final Map<String, LongSupplier> gauges = new ConcurrentHashMap<>();

    @Override
    public void increment(String name) {
        counters.computeIfAbsent(name, n -> new AtomicLong()).incrementAndGet();
    }

    @Override
    public void record(String name, Duration duration) {
        timers.computeIfAbsent(name, n -> new CopyOnWriteArrayList<>()).add(duration);
    }

    @Override
    public void gauge(String name, LongSupplier value) {
        gauges.put(name, value);
    }

    /** Every counter and its value. */
    public Map<String, Long> counters() {
        Map<String, Long> copy = new TreeMap<>();
        counters.forEach((k, v) -> copy.put(k, v.get()));
        return copy;
    }

    /** The durations recorded under {@code name}, in order. */
    public List<Duration> durations(String name) {
        return List.copyOf(timers.getOrDefault(name, List.of()));
    }

    /** The gauge's current reading. */
    public long gauge(String name) {
        return gauges.get(name).getAsLong();
    }
}
