package dev.acmesmime.james.runtime;

import java.time.Clock;
import java.util.Objects;

import dev.acmesmime.gateway.CertificateDirectory;
import dev.acmesmime.gateway.CorrespondentCertificateStore;
import dev.acmesmime.gateway.GatewayPolicies;
import dev.acmesmime.gateway.SmimeProtection;
import dev.acmesmime.metrics.PluginMetrics;

/**
 * What the S/MIME gateway's mailets ({@code dev.acmesmime.james.gateway}) need from core, in one
 * value: the S/MIME operations, where certificates are found, the signing and encryption policies,
 * the harvested correspondents' certificates, whether signatures protect the header (RFC 9788,
 * setting {@code gateway.headerProtection}), the metrics and the clock. Inside James it comes from
 * {@link AcmeSmimeRuntime#gateway()}, one per process; unit tests build it from fakes.
 */
public record GatewayServices(SmimeProtection protection, CertificateDirectory directory, GatewayPolicies policies,
                              CorrespondentCertificateStore correspondents, boolean headerProtection,
                              PluginMetrics metrics, Clock clock) {

    public GatewayServices {
        Objects.requireNonNull(protection, "protection");
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(policies, "policies");
        Objects.requireNonNull(correspondents, "correspondents");
        Objects.requireNonNull(metrics, "metrics");
        Objects.requireNonNull(clock, "clock");
    }
}
