package dev.acmesmime.acme;

import java.net.URI;
import java.time.Instant;
import java.util.Objects;

/**
 * A new order for one mailbox and what its {@code email-reply-00} challenge tells the responder
 * (RFC 8823 §3 steps 2 and 3): the organisation role registers {@code from} and {@code tokenPart2} as a
 * pending challenge, then answers the mail that carries token-part1.
 *
 * @param orderUrl     the order, to poll and finalize
 * @param challengeUrl the challenge, to trigger (POST {@code {}}) once the response is out
 * @param from         the address the challenge mail comes from
 * @param tokenPart2   the challenge object's {@code token}
 * @param expires      when the challenge can no longer be answered: the earlier of the order's and the
 *                     authorization's expiry
 */
public record PlacedOrder(URI orderUrl, URI challengeUrl, String from, String tokenPart2, Instant expires) {
    public PlacedOrder {
        Objects.requireNonNull(orderUrl, "orderUrl");
        Objects.requireNonNull(challengeUrl, "challengeUrl");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(tokenPart2, "tokenPart2");
        Objects.requireNonNull(expires, "expires");
    }
}
