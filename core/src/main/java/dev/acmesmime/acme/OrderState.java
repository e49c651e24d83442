package dev.acmesmime.acme;

import java.net.URI;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What one poll of an order found.
 *
 * @param status         the order's status
 * @param retryAfter     the CA's Retry-After, when it sent one: the earliest time to poll again (RFC 8555 §7.4)
 * @param problem        the order's {@code error}, when it has one
 * @param certificateUrl where to download the chain, once {@link OrderStatus#VALID}
 */
public record OrderState(OrderStatus status, Optional<Instant> retryAfter, Optional<CaProblem> problem,
                         Optional<URI> certificateUrl) {
    public OrderState {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(retryAfter, "retryAfter");
        Objects.requireNonNull(problem, "problem");
        Objects.requireNonNull(certificateUrl, "certificateUrl");
    }
}
