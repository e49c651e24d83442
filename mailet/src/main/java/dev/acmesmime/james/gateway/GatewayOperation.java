package dev.acmesmime.james.gateway;

import java.util.Locale;

import org.apache.mailet.AttributeName;

import dev.acmesmime.metrics.MetricNames;

/**
 * The four things the S/MIME gateway does to a mail, each with the mail attribute, the word in the
 * {@value GatewayMark#HEADER} header and the metric prefix its decisions are recorded under.
 */
public enum GatewayOperation {
    SIGN(MetricNames.GATEWAY_SIGN),
    ENCRYPT(MetricNames.GATEWAY_ENCRYPT),
    HARVEST(MetricNames.GATEWAY_HARVEST),
    DECRYPT(MetricNames.GATEWAY_DECRYPT);

    /** Prefix of the attributes: {@code acme-smime.gateway.sign} and so on, each holding the code (String). */
    public static final String ATTRIBUTE_PREFIX = "acme-smime.gateway.";

    private final String metric;

    GatewayOperation(String metric) {
        this.metric = metric;
    }

    /** {@code sign}, {@code encrypt}, {@code harvest} or {@code decrypt}. */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The attribute holding this operation's code, e.g. {@code acme-smime.gateway.sign}. */
    public AttributeName attribute() {
        return AttributeName.of(ATTRIBUTE_PREFIX + word());
    }

    /** The counter prefix; one series per code below it. */
    public String metric() {
        return metric;
    }
}
