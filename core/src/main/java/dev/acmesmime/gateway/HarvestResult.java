package dev.acmesmime.gateway;

import java.util.Objects;
import java.util.Optional;

import dev.acmesmime.store.CorrespondentCertificate;

/**
 * The verdict on an incoming signed mail (G6): the correspondent's certificate when the signature
 * verifies, the chain is trusted now and its rfc822Name is From; otherwise the code and reason.
 */
public record HarvestResult(GatewayCode code, String reason, Optional<CorrespondentCertificate> certificate) {

    public HarvestResult {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(certificate, "certificate");
    }
}
