package dev.acmesmime.ca;

import java.util.Objects;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import dev.acmesmime.metrics.MetricNames;
import dev.acmesmime.metrics.PluginMetrics;

/**
 * Reports each decision of the CA role to the operator, after its records are committed: one
 * counter per decision ({@link MetricNames}) and one INFO line with the decision's code and the
 * id of its evidence record, logged under the MDC keys {@value #MDC_ROLE}={@value #ROLE} and
 * {@value #MDC_EVIDENCE}, so James's JSON log layout makes them searchable.
 * <table>
 * <caption>what is counted</caption>
 * <tr><th>decision</th><th>counters</th></tr>
 * <tr><td>challenge signed</td><td>{@code acme-smime.ca.challenges.signed}</td></tr>
 * <tr><td>challenge held</td><td>{@code acme-smime.ca.challenges.held} and {@code …held.<leading code>}</td></tr>
 * <tr><td>response handled</td><td>{@code acme-smime.ca.responses.<disposition>}</td></tr>
 * <tr><td>response rejected</td><td>also {@code acme-smime.ca.responses.refused} and
 *     {@code …refused.<leading failure code>}</td></tr>
 * </table>
 * The line names no mailbox and no token: the evidence record, which an admin reads through
 * WebAdmin, holds those; the log only points to it.
 */
final class CaDecisions {
    /** MDC key: the plugin role that decided. */
    static final String MDC_ROLE = "acme-smime.role";
    /** MDC key: the id of the evidence record of the decision. */
    static final String MDC_EVIDENCE = "acme-smime.evidence";
    /** The value of {@value #MDC_ROLE} for the CA role. */
    static final String ROLE = "ca";

    private static final Logger LOGGER = LoggerFactory.getLogger(CaDecisions.class);

    private final PluginMetrics metrics;

    CaDecisions(PluginMetrics metrics) {
        this.metrics = Objects.requireNonNull(metrics, "metrics");
    }

    /** A challenge issued, or held with its reasons. */
    void challenge(Issuance issuance) {
        if (issuance instanceof Issuance.Held held) {
            String code = held.codes().get(0);
            metrics.increment(MetricNames.CA_CHALLENGES_HELD);
            metrics.increment(held.failures().isEmpty()
                    ? MetricNames.child(MetricNames.CA_CHALLENGES_HELD, code)
                    : MetricNames.byCode(MetricNames.CA_CHALLENGES_HELD, held.failures().get(0)));
            log(held.evidenceId(), "acme-smime ca challenge held: {} (codes {}), evidence {}", code, held.codes());
        } else {
            metrics.increment(MetricNames.CA_CHALLENGES_SIGNED);
            log(issuance.evidenceId(), "acme-smime ca challenge {}: evidence {}", ChallengeIssuer.SIGNED);
        }
    }

    /** A response mail handled, whatever its disposition. */
    void response(ProcessingResult result) {
        Disposition d = result.disposition();
        metrics.increment(MetricNames.child(MetricNames.CA_RESPONSES, d.code()));
        if (d == Disposition.REJECTED) {
            metrics.increment(MetricNames.CA_RESPONSES_REFUSED);
            // the outcome is the leading failure code (the first authenticity failure, else the first)
            result.failureCodes().stream().filter(c -> c.code().equals(result.outcome())).findFirst()
                    .map(c -> MetricNames.byCode(MetricNames.CA_RESPONSES_REFUSED, c))
                    .ifPresent(metrics::increment);
        }
        log(result.evidenceId(), "acme-smime ca response {}: {}, evidence {}", d.code(), result.outcome());
    }

    private static void log(long evidenceId, String format, Object... args) {
        Object[] withId = new Object[args.length + 1];
        System.arraycopy(args, 0, withId, 0, args.length);
        withId[args.length] = evidenceId;
        // MDC is per thread: set for this line only, so the mailet's next mail starts clean
        try (MDC.MDCCloseable role = MDC.putCloseable(MDC_ROLE, ROLE);
             MDC.MDCCloseable evidence = MDC.putCloseable(MDC_EVIDENCE, Long.toString(evidenceId))) {
            LOGGER.info(format, withId);
        }
    }

}
