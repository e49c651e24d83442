package dev.acmesmime.store;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A challenge mail the CA sent (RFC 8823 §3.1), as the challenge signer recorded it: the facts
 * the response forwarder correlates a response with, and whether a response has used it.
 *
 * @param messageId       the challenge's Message-ID, with angle brackets
 * @param tokenPart1      token-part1 as sent in the Subject
 * @param identifier      the mailbox being validated (the challenge's To)
 * @param responseAddress where the response must go: the challenge's Reply-To, else its From
 * @param tag             the sub-address tag of {@code responseAddress} ({@code acme+<tag>@}), if any
 * @param createdAt       when the challenge was sent
 * @param expiresAt       when its validity ends (at most 24 h after {@code createdAt}, S/MIME BR 3.2.2.4)
 * @param consumedAt      when the first authentic response used it
 * @param consumedDigest  that response's digest
 * @param validationId    that response's validation id (the forward's idempotency key)
 * @param outboxId        the outbox item that forwards it
 */
public record IssuedChallenge(String messageId, String tokenPart1, String identifier, String responseAddress,
                              Optional<String> tag, Instant createdAt, Instant expiresAt, Optional<Instant> consumedAt,
                              Optional<String> consumedDigest, Optional<String> validationId, Optional<Long> outboxId) {

    public IssuedChallenge {
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(tokenPart1, "tokenPart1");
        Objects.requireNonNull(identifier, "identifier");
        Objects.requireNonNull(responseAddress, "responseAddress");
        Objects.requireNonNull(tag, "tag");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(consumedAt, "consumedAt");
        Objects.requireNonNull(consumedDigest, "consumedDigest");
        Objects.requireNonNull(validationId, "validationId");
        Objects.requireNonNull(outboxId, "outboxId");
    }

    /** A challenge just sent, not yet used. */
    public static IssuedChallenge sent(String messageId, String tokenPart1, String identifier, String responseAddress,
                                       String tag, Instant createdAt, Instant expiresAt) {
        return new IssuedChallenge(messageId, tokenPart1, identifier, responseAddress, Optional.ofNullable(tag),
                createdAt, expiresAt, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }
}
