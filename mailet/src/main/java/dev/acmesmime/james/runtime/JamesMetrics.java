package dev.acmesmime.james.runtime;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import javax.inject.Inject;
import javax.inject.Singleton;

import org.apache.james.metrics.api.Gauge;
import org.apache.james.metrics.api.GaugeRegistry;
import org.apache.james.metrics.api.MetricFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.codahale.metrics.MetricRegistry;

import dev.acmesmime.metrics.PluginMetrics;

/**
 * The plugin's metrics in James's own metrics: what WebAdmin's {@code /metrics} exports (with
 * {@code org.apache.james.webadmin.dropwizard.MetricsRoutes} in {@code extensions.routes}) and
 * James's JMX and Grafana dashboards show, next to James's own.
 * <ul>
 *   <li>Counters go to James's {@link MetricFactory} ({@code generate(name).increment()}). In
 *       Prometheus text a counter {@code acme-smime.org.challenges.seen} reads
 *       {@code acme_smime_org_challenges_seen_total}.</li>
 *   <li>Durations go to the Dropwizard timer of that name in James's {@link MetricRegistry}, the
 *       registry James's {@code MetricFactory.timer} also writes to: James's own timer API can only
 *       time from a start to a stop, and the plugin measures spans that began before the call
 *       (a mail's arrival). Prometheus shows a summary in seconds, e.g.
 *       {@code acme_smime_org_response_time_count}.</li>
 *   <li>Gauges go to James's {@link GaugeRegistry}, read at each scrape. Registering a name again
 *       replaces what it reads (every mailet instance may register); a reading that fails (the
 *       store is down) shows {@code -1} rather than failing the whole scrape.</li>
 * </ul>
 * Guice builds one per James process from the bindings of James's {@code DropWizardMetricsModule}.
 */
@Singleton
public class JamesMetrics implements PluginMetrics {
    private static final Logger LOGGER = LoggerFactory.getLogger(JamesMetrics.class);

    private final MetricFactory factory;
    private final GaugeRegistry gauges;
    private final MetricRegistry registry;
    private final Map<String, LongSupplier> gaugeSources = new ConcurrentHashMap<>();

    @Inject
    public JamesMetrics(MetricFactory factory, GaugeRegistry gauges, MetricRegistry registry) {
        this.factory = Objects.requireNonNull(factory, "factory");
        this.gauges = Objects.requireNonNull(gauges, "gauges");
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    @Override
    public void increment(String name) {
        factory.generate(name).increment();
    }

    @Override
    public void record(String name, Duration duration) {
        registry.timer(name).update(duration.toNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public void gauge(String name, LongSupplier value) {
        Objects.requireNonNull(value, "value");
        // James's registry keeps the first gauge of a name: register one reader, swap its source
        if (gaugeSources.put(name, value) == null) {
            gauges.register(name, (Gauge<Long>) () -> read(name));
        }
    }

    private long read(String name) {
        try {
            return gaugeSources.get(name).getAsLong();
        } catch (RuntimeException e) {
            // the class only: a store message may name the database; never fail James's scrape
            LOGGER.warn("acme-smime gauge {} not read: {}", name, e.getClass().getSimpleName());
            return -1;
        }
    }
}
