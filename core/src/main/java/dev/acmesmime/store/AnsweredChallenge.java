package dev.acmesmime.store;

import java.time.Instant;
import java.util.Objects;

/**
 * The record that a challenge mail has been answered, so that a second delivery of the same mail
 * (or the same mail reaching another node) is not answered again.
 *
 * @param challengeMessageId the Message-ID of the challenge mail
 * @param tokenPart1         token-part1 from the challenge's Subject (RFC 8823 section 3)
 * @param mailbox            the address that answered
 * @param claimedAt          when it was claimed
 * @param claimedBy          the node that claimed it ({@value StoreSettings#NODE_NAME})
 */
public record AnsweredChallenge(String challengeMessageId, String tokenPart1, String mailbox, Instant claimedAt,
                                String claimedBy) {
    public AnsweredChallenge {
        Objects.requireNonNull(challengeMessageId, "challengeMessageId");
        Objects.requireNonNull(tokenPart1, "tokenPart1");
        Objects.requireNonNull(mailbox, "mailbox");
        Objects.requireNonNull(claimedAt, "claimedAt");
        Objects.requireNonNull(claimedBy, "claimedBy");
    }
}
