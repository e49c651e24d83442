package dev.acmesmime.store;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The organisation role's outbox of responses (issue 14 §3): a response is written here in the
 * transaction that claims its challenge ({@link AnsweredChallengeStore#claim}, then
 * {@link PendingChallengeStore#markAnswering}), so a claimed challenge always has its response
 * waiting, whatever fails afterwards. The row is the only sender: whoever holds its lease hands it
 * to the mail system, then {@link #markSent} makes the challenge {@link ChallengeStatus#ANSWERED}.
 * <p>
 * A row is leased to the enqueuing store instance at once (the responder's first attempt); after a
 * failure ({@link #retryLater}) or when the lease lapses (the node died) any node may
 * {@link #claimDue claim} it. Retries follow the store's response {@link RetryPolicy} without a limit
 * of attempts: a row is given up ({@link #fail}) only when its challenge has expired. Between the
 * mail system taking the response and {@link #markSent} committing, a crash makes it go out twice;
 * the CA recognises the second as a duplicate of the first.
 */
public interface ResponseOutboxStore {

    /**
     * Adds a response, leased to this store instance (the caller sends it at once).
     *
     * @return the new row
     * @throws StoreException when a response for this challenge exists already (the claim prevents it)
     */
    OutgoingResponse enqueue(OutgoingResponse.Content response);

    /**
     * Leases up to {@code max} due rows for this node (pending, next attempt come, no unexpired
     * lease); each claim counts as an attempt.
     */
    List<OutgoingResponse> claimDue(int max);

    /**
     * Records that the mail system took the response of a row this node holds, and marks its
     * challenge {@link ChallengeStatus#ANSWERED}, in one transaction.
     *
     * @return {@code false} if this node no longer holds the lease
     */
    boolean markSent(URI challengeUrl);

    /**
     * Records a failed hand-over and schedules the next attempt by the response retry policy; the
     * challenge stays {@link ChallengeStatus#ANSWERING}.
     *
     * @param error one line saying what went wrong (shown by WebAdmin; never a secret)
     * @return {@code false} if this node no longer holds the lease
     */
    boolean retryLater(URI challengeUrl, String error);

    /**
     * Gives up a row this node holds (its challenge expired before the response could be handed
     * over): the row becomes {@link OutboxState#FAILED} and the challenge {@link ChallengeStatus#EXPIRED},
     * in one transaction.
     *
     * @return {@code false} if this node no longer holds the lease
     */
    boolean fail(URI challengeUrl, String error);

    Optional<OutgoingResponse> find(URI challengeUrl);

    /**
     * Deletes rows sent or given up before {@code cutoff} ({@link StoreMaintenance}); pending rows stay.
     *
     * @return how many were deleted
     */
    int purgeFinishedBefore(Instant cutoff);

    /** How many responses wait to be handed over (state pending). */
    long countWaiting();
}
