package dev.acmesmime.store;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Challenges the enrolment service expects by mail, for the responder to find when the
 * challenge mail arrives (RFC 8823 section 3). "Now" comes from the store's clock.
 */
public interface PendingChallengeStore {

    /**
     * Records a challenge as pending.
     *
     * @return {@code false} if a challenge with this URL is registered already (it is left unchanged)
     */
    boolean register(PendingChallenge.Registration registration);

    /** The challenge with this URL, in whatever status. */
    Optional<PendingChallenge> find(URI challengeUrl);

    /**
     * The challenges for {@code mailbox} that can still be answered: status pending and not yet
     * expired, oldest first. The mailbox is compared exactly; callers pass it as registered.
     */
    List<PendingChallenge> findAnswerable(String mailbox);

    /**
     * Every challenge registered for {@code mailbox}, whatever its status, newest first, at most
     * {@code limit} of them: for telling "expired" and "already answered" apart from "none", and
     * for status queries. The mailbox is compared exactly.
     */
    List<PendingChallenge> findByMailbox(String mailbox, int limit);

    /**
     * How many registered challenges, of every mailbox, still wait for their challenge mail:
     * status pending and not yet expired (the operator's pending gauge). One indexed count.
     */
    int countPending();

    /**
     * How many challenges for {@code mailbox} were answered, or are being answered, at or after
     * {@code since} (rate limits).
     */
    int countAnsweredSince(String mailbox, Instant since);

    /**
     * How many challenges whose {@code challengeFrom} is at {@code domain} (compared ignoring ASCII
     * case) were answered or are being answered at or after {@code since}, for every mailbox (rate limits per CA domain).
     */
    int countAnsweredFromDomainSince(String domain, Instant since);

    /**
     * Marks a pending, unexpired challenge {@link ChallengeStatus#ANSWERING answering}, with the
     * Message-ID of the response mail waiting in the {@link ResponseOutboxStore}; call it in the
     * transaction that claims the challenge and enqueues the response. The outbox makes it
     * answered ({@link ResponseOutboxStore#markSent}) or expired ({@link ResponseOutboxStore#fail}).
     *
     * @return {@code false} if it is unknown, answering or answered already, or expired (nothing changes)
     */
    boolean markAnswering(URI challengeUrl, String responseMessageId);

    /**
     * Marks a pending, unexpired challenge answered at once, with the Message-ID of the response mail.
     *
     * @return {@code false} if it is unknown, already answered or expired (then nothing changes)
     */
    boolean markAnswered(URI challengeUrl, String responseMessageId);

    /**
     * Marks every pending challenge whose expiry has passed as expired.
     *
     * @return how many were marked
     */
    int expireOverdue();
}
