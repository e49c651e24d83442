package dev.acmesmime.organisation;

import java.util.Objects;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import dev.acmesmime.metrics.MetricNames;
import dev.acmesmime.metrics.PluginMetrics;

/**
 * Tells the operator about each challenge decision: one INFO line (C19) with its codes and the id
 * of its audit record, and the counters {@link MetricNames#ORG_CHALLENGES_SEEN},
 * {@link MetricNames#ORG_CHALLENGES_ANSWERED} and {@link MetricNames#ORG_CHALLENGES_IGNORED} (plus one
 * series per leading code, the code the audit record's outcome holds).
 * <p>
 * The line is written under the MDC keys {@value #MDC_ROLE} = {@value #ROLE} and
 * {@value #MDC_MAILBOX} = the organisation's own mailbox, which {@link #around} sets for the whole
 * decision, so that James's JSON log layout makes every line of one decision searchable. A
 * mailbox never appears in a metric name; nothing secret (token-part2, keys) appears in the line.
 */
final class DecisionReport {
    /** MDC key: the plugin's role that wrote the line. */
    static final String MDC_ROLE = "acme-smime.role";
    /** MDC key: the local mailbox the decision is about. */
    static final String MDC_MAILBOX = "acme-smime.mailbox";
    static final String ROLE = "organisation";

    private static final Logger LOGGER = LoggerFactory.getLogger(ChallengeResponder.class);

    private final PluginMetrics metrics;

    DecisionReport(PluginMetrics metrics) {
        this.metrics = Objects.requireNonNull(metrics, "metrics");
    }

    /** Sets the MDC keys for one decision about {@code mailbox}, until the scope is closed. */
    static Scope scope(String mailbox) {
        MDC.put(MDC_ROLE, ROLE);
        MDC.put(MDC_MAILBOX, mailbox);
        return new Scope();
    }

    /** The MDC keys of one decision; closing removes them. */
    static final class Scope implements AutoCloseable {
        private Scope() {
        }

        @Override
        public void close() {
            MDC.remove(MDC_MAILBOX);
            MDC.remove(MDC_ROLE);
        }
    }

    /**
     * Logs and counts one decision.
     *
     * @param auditId the id of its audit record, or {@code null} when it could not be written
     */
    void report(Decision d, Long auditId) {
        String codes = String.join(",", d.codeValues());
        String audit = auditId == null ? "none" : auditId.toString();
        metrics.increment(MetricNames.ORG_CHALLENGES_SEEN);
        if (d.answered()) {
            metrics.increment(MetricNames.ORG_CHALLENGES_ANSWERED);
            LOGGER.info("RFC 8823 challenge for {} answered (codes {}, audit {}): {}", d.mailbox(), codes, audit,
                    d.reason());
        } else {
            metrics.increment(MetricNames.ORG_CHALLENGES_IGNORED);
            metrics.increment(MetricNames.byCode(MetricNames.ORG_CHALLENGES_IGNORED, d.codes().get(0)));
            // C19: a failed validation is logged with its reason
            LOGGER.info("RFC 8823 challenge for {} ignored (codes {}, audit {}): {}", d.mailbox(), codes, audit,
                    d.reason());
        }
    }
}
