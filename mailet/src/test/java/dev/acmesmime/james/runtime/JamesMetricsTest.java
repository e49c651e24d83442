package dev.acmesmime.james.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.apache.james.metrics.dropwizard.DropWizardGaugeRegistry;
import org.apache.james.metrics.dropwizard.DropWizardMetricFactory;
import org.junit.jupiter.api.Test;

import com.codahale.metrics.MetricRegistry;

/** {@link JamesMetrics} on James 3.8.1's own Dropwizard metric classes, as its Guice module binds them. */
class JamesMetricsTest {
    final MetricRegistry registry = new MetricRegistry();
    final JamesMetrics testee = new JamesMetrics(new DropWizardMetricFactory(registry),
            new DropWizardGaugeRegistry(registry), registry);

    @Test
    void countersAreJamesMetricsOfThatName() {
        testee.increment("acme-smime.test.count");
        testee.increment("acme-smime.test.count");

        assertThat(registry.getMeters().get("acme-smime.test.count").getCount()).isEqualTo(2);
    }

    @Test
    void durationsFeedTheDropwizardTimerOfThatName() {
        testee.record("acme-smime.test.time", Duration.ofMillis(250));
        testee.record("acme-smime.test.time", Duration.ofMillis(750));

        assertThat(registry.getTimers().get("acme-smime.test.time").getCount()).isEqualTo(2);
        assertThat(registry.getTimers().get("acme-smime.test.time").getSnapshot().getMax())
                .isEqualTo(TimeUnit.MILLISECONDS.toNanos(750));
    }

    @Test
    void registeringAGaugeAgainReplacesWhatItReads() {
        testee.gauge("acme-smime.test.gauge", () -> 1);
        testee.gauge("acme-smime.test.gauge", () -> 2);

        assertThat(registry.getGauges().get("acme-smime.test.gauge").getValue()).isEqualTo(2L);
    }

    @Test
    void aGaugeThatCannotBeReadShowsMinusOneAndTheScrapeGoesOn() {
        testee.gauge("acme-smime.test.broken", () -> {
            throw new IllegalStateException("jdbc:postgresql://db/secret-name is down");
        });

        assertThat(registry.getGauges().get("acme-smime.test.broken").getValue()).isEqualTo(-1L);
    }
}
