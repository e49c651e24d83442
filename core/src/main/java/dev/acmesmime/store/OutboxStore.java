package dev.acmesmime.store;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Forwards that must not be lost: enqueued in the same breath as the mail is consumed, sent by
 * whichever node claims them, retried with back-off ({@link RetryPolicy}), and kept as failed for
 * an admin when they run out of attempts.
 * <p>
 * Claiming is atomic across nodes: a node leases a due item with a conditional UPDATE (the row
 * must still be pending and unleased), so two nodes never send the same item at the same time.
 * {@link #complete}, {@link #retryLater} and {@link #fail} act only on items this store instance
 * holds the lease of; after a lease expires another node may claim the item again, so delivery is
 * at least once.
 */
public interface OutboxStore {

    /**
     * Adds a forward, due at once.
     *
     * @return the new item
     */
    OutboxItem enqueue(String destination, byte[] payload);

    /**
     * Leases up to {@code max} due items for this node. An item is due when it is pending, its next
     * attempt time has come, and nobody holds an unexpired lease on it. Each claim counts as an attempt.
     *
     * @return the items this node won, oldest due first; possibly fewer than were due when another
     *         node won the rest
     */
    List<OutboxItem> claimDue(int max);

    /**
     * Records successful delivery of an item this node leased.
     *
     * @return {@code false} if this node no longer holds the lease (it expired and was taken over)
     */
    boolean complete(long id);

    /**
     * Records a failed attempt and schedules the next one by the {@link RetryPolicy}, or fails the
     * item when it has used all its attempts.
     *
     * @param error one line saying what went wrong (kept as the item's last error)
     * @return the item's state afterwards ({@link OutboxState#PENDING} or {@link OutboxState#FAILED}),
     *         or empty if this node no longer holds the lease
     */
    Optional<OutboxState> retryLater(long id, String error);

    /**
     * As {@link #retryLater(long, String)}, with {@code extraDelay} added to the policy's delay:
     * the caller's jitter, so that items failed together by one outage do not all come due in the
     * same instant.
     */
    Optional<OutboxState> retryLater(long id, String error, Duration extraDelay);

    /**
     * Gives up on an item this node leased, for a failure that retrying cannot cure.
     *
     * @return {@code false} if this node no longer holds the lease
     */
    boolean fail(long id, String error);

    /**
     * Makes every pending item for {@code destination} that waits for a later attempt due now, its
     * attempts kept: for when the destination answers again after an outage, so that the results
     * it missed need not sit out their back-off.
     *
     * @return how many items were brought forward
     */
    int expedite(String destination);

    /**
     * Leases one pending item for {@code destination} whatever its next attempt time, to probe a
     * destination that has been refusing: the item due soonest that nobody holds a lease on. Unlike
     * {@link #claimDue} this does not count an attempt; the lease is the same, so no other claim,
     * here or on another node, can send the item while the probe is in flight. The holder then
     * {@link #complete}s it (the destination is back) or {@link #releaseProbe}s it.
     *
     * @return the item, or empty when none waits unleased
     */
    Optional<OutboxItem> claimProbe(String destination);

    /**
     * Gives back the lease of a failed probe: the item keeps its attempts and its next attempt time
     * (a probe is extra, not a step of the back-off); only its last error is the probe's.
     *
     * @return {@code false} if this node no longer holds the lease
     */
    boolean releaseProbe(long id, String error);

    /** An admin's "try again": a failed item becomes pending, due now, with a fresh set of attempts. */
    boolean retry(long id);

    Optional<OutboxItem> find(long id);

    /** Pending items, oldest due first, at most {@code limit}. */
    List<OutboxItem> listPending(int limit);

    /** Failed items, most recently failed first, at most {@code limit}. */
    List<OutboxItem> listFailed(int limit);

    /** How many items wait: pending or failed, not done (the operator's outbox depth). */
    long countWaiting();

    /** When the oldest waiting item (pending or failed) was enqueued; empty when none waits. */
    Optional<Instant> oldestWaiting();
}
