package dev.acmesmime.metrics;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import org.mpierce.metrics.reservoir.hdrhistogram.HdrHistogramReservoir;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.SlidingTimeWindowMovingAverages;
import com.codahale.metrics.Timer;

/**
 * {@link PluginMetrics} on a real Dropwizard {@link MetricRegistry}, doing per call what James
 * 3.8.1's {@code DropWizardMetricFactory} does (read from its bytecode): a counter is a
 * {@link Meter} on sliding-window averages looked up by name and marked, a timer a {@link Timer} on
 * an {@link HdrHistogramReservoir} looked up by name and updated, a gauge registered in the same
 * registry. For benchmarks that weigh metrics on against {@link PluginMetrics#NONE}; James's own
 * adapter is in the mailet module.
 */
public final class DropwizardPluginMetrics implements PluginMetrics {
    private final MetricRegistry registry = new MetricRegistry();

    @Override
    public void increment(String name) {
        registry.meter(name, () -> new Meter(new SlidingTimeWindowMovingAverages())).mark();
    }

    @Override
    public void record(String name, Duration duration) {
        registry.timer(name, () -> new Timer(new HdrHistogramReservoir())).update(duration.toNanos(),
                TimeUnit.NANOSECONDS);
    }

    @Override
    public void gauge(String name, LongSupplier value) {
        registry.remove(name);
        registry.register(name, (Gauge<Long>) value::getAsLong);
    }

    /** Counter increments plus timer records so far: how many metric calls the code under test made. */
    public long recorded() {
        long n = 0;
        for (Meter m : registry.getMeters().values()) {
            n += m.getCount();
        }
        for (Timer t : registry.getTimers().values()) {
            n += t.getCount();
        }
        return n;
    }

    /** Names registered so far (counters, timers and gauges). */
    public int series() {
        return registry.getNames().size();
    }
}
