package dev.acmesmime.store;

import java.time.Instant;
import java.util.Optional;

/**
 * Answer-once bookkeeping for challenge mails, keyed by the challenge's Message-ID and
 * token-part1. Claiming is atomic across every node sharing the database: the claim is a single
 * INSERT under a primary key, so exactly one caller wins and every other sees {@code false}.
 */
public interface AnsweredChallengeStore {

    /**
     * Claims the right to answer this challenge mail.
     *
     * @param challengeMessageId the challenge mail's Message-ID (at most 998 characters)
     * @param tokenPart1         token-part1 from its Subject (at most 255 characters)
     * @param mailbox            the address answering
     * @return {@code true} for the one caller that claimed it first, {@code false} if it was claimed
     *         before (by this or another node)
     */
    boolean claim(String challengeMessageId, String tokenPart1, String mailbox);

    /** The claim for this challenge mail, if any. */
    Optional<AnsweredChallenge> find(String challengeMessageId, String tokenPart1);

    /**
     * Deletes claims made before {@code cutoff}. Keep them longer than any challenge can live, or an
     * old duplicate delivery could be answered again.
     *
     * @return how many were deleted
     */
    int purgeClaimedBefore(Instant cutoff);
}
