package dev.acmesmime.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.acmesmime.metrics.MetricNameValues;

/**
 * Every metric the plugin records is explained in {@code docs/metrics.md}, under the name James
 * keeps and the name {@code /metrics} prints, and the README and the operations manual link there.
 */
class MetricsDocumentedTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @Test
    void everyMetricNameIsInMetricsMd() throws IOException {
        String doc = Files.readString(ROOT.resolve("docs/metrics.md"), StandardCharsets.UTF_8);
        Map<String, String> names = MetricNameValues.all();
        assertThat(names).hasSizeGreaterThan(10);
        for (Map.Entry<String, String> e : names.entrySet()) {
            assertThat(doc).as(e.getKey()).contains("`" + e.getValue() + "`");
            if (!e.getKey().equals("ENROLMENT")) {
                assertThat(doc).as(e.getKey() + " in Prometheus form")
                        .contains(MetricNameValues.prometheus(e.getValue()));
            }
        }
    }

    @Test
    void theReadmeListsEveryMetric() throws IOException {
        String readme = Files.readString(ROOT.resolve("README.md"), StandardCharsets.UTF_8);
        for (Map.Entry<String, String> e : MetricNameValues.all().entrySet()) {
            if (!e.getKey().equals("ENROLMENT")) { // the enrolment metrics' prefix, not a metric itself
                assertThat(readme).as(e.getKey()).contains("`" + e.getValue());
            }
        }
        assertThat(readme).contains("conf/grafana/acme-smime.json");
    }

    @Test
    void theReadmeAndTheOperationsManualLinkIt() throws IOException {
        for (String manual : new String[] {"README.md", "docs/operations.md"}) {
            assertThat(Files.readString(ROOT.resolve(manual), StandardCharsets.UTF_8)).as(manual)
                    .contains("metrics.md");
        }
    }
}
