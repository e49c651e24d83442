package dev.acmesmime.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The shipped Grafana dashboard {@code conf/grafana/acme-smime.json} graphs every metric of
 * {@link MetricNames} in the form James's WebAdmin {@code /metrics} prints it, and each panel reads
 * the Prometheus datasource chosen on import. Only the enrolment prefix, not a metric itself, has
 * no panel.
 */
class DashboardCoversMetricsTest {
    private static final Path DASHBOARD = Path.of("..").toAbsolutePath().normalize()
            .resolve("conf/grafana/acme-smime.json");

    @Test
    void everyMetricNameAppearsInAPanelQuery() throws IOException {
        List<String> exprs = queries(new ObjectMapper().readTree(DASHBOARD.toFile()));
        assertThat(exprs).as("panel queries").hasSizeGreaterThan(10);
        for (Map.Entry<String, String> e : MetricNameValues.all().entrySet()) {
            if (e.getKey().equals("ENROLMENT")) {
                continue;
            }
            String prom = MetricNameValues.prometheus(e.getValue());
            assertThat(exprs).as(e.getKey() + " as " + prom).anyMatch(x -> x.contains(prom));
        }
    }

    @Test
    void everyPanelReadsTheImportedPrometheusDatasource() throws IOException {
        JsonNode dash = new ObjectMapper().readTree(DASHBOARD.toFile());
        assertThat(dash.path("__inputs").get(0).path("name").asText()).isEqualTo("DS_PROMETHEUS");
        for (JsonNode panel : dash.path("panels")) {
            if (!panel.path("type").asText().equals("row")) {
                assertThat(panel.path("datasource").path("uid").asText()).as(panel.path("title").asText())
                        .isEqualTo("${DS_PROMETHEUS}");
            }
        }
    }

    @Test
    void theNameCheckSeesAMissingMetric() {
        List<String> exprs = List.of("rate(acme_smime_ca_forward_attempts_total[5m])");
        assertThat(exprs).noneMatch(x -> x.contains(MetricNameValues.prometheus(MetricNames.CA_FORWARD_FAILURES)));
        assertThat(exprs).anyMatch(x -> x.contains(MetricNameValues.prometheus(MetricNames.CA_FORWARD_ATTEMPTS)));
    }

    private static List<String> queries(JsonNode dash) {
        List<String> exprs = new ArrayList<>();
        for (JsonNode panel : dash.path("panels")) {
            for (JsonNode t : panel.path("targets")) {
                exprs.add(t.path("expr").asText());
            }
        }
        return exprs;
    }
}
