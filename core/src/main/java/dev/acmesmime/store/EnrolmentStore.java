package dev.acmesmime.store;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Per-mailbox enrolment state, private key included (sealed at rest), and the work queue of the
 * enrolment engine: a row is due when its {@link Enrolment#nextAttemptAt()} has come and no
 * worker holds a live lease on it. On a cluster, {@link #claimDue} hands each due row to one
 * worker only, so exactly one node works on a mailbox at a time.
 */
public interface EnrolmentStore {

    Optional<Enrolment> find(String mailbox);

    /**
     * Creates or replaces the enrolment of {@code enrolment.mailbox()}, whoever holds its lease;
     * the lease itself is left as it is (a new row has none).
     *
     * @return what was stored, with {@link Enrolment#updatedAt()} set from the store's clock
     */
    Enrolment save(Enrolment enrolment);

    /**
     * Replaces the enrolment only while {@code owner} holds a live lease on it: a worker whose
     * lease ran out (a long pause) cannot overwrite what the worker that took over wrote.
     *
     * @return what was stored, or empty if {@code owner} no longer holds the row
     */
    Optional<Enrolment> saveHeld(Enrolment enrolment, String owner);

    /**
     * Leases up to {@code limit} due rows to {@code owner} until {@code now + lease}, earliest due
     * first. Atomic across nodes: a row is handed to one owner until its lease ends or is released.
     *
     * @return the rows won, with their lease
     */
    List<Enrolment> claimDue(Instant now, String owner, Duration lease, int limit);

    /**
     * Makes the enrolment of {@code mailbox} due at {@code at} if it is waiting at
     * {@link EnrolmentStep#CHALLENGE_REGISTERED} for exactly {@code challengeUrl} and is due later: the
     * responder's word that the challenge was answered, so {@link #claimDue} picks it up now instead of at
     * its next check. Leases are left as they are; a row at another step, for another challenge or
     * due sooner is not touched.
     *
     * @return whether a row was made due sooner
     */
    boolean wake(String mailbox, URI challengeUrl, Instant at);

    /**
     * Moves the end of {@code owner}'s lease on {@code mailbox} to {@code until}, if {@code owner} still holds
     * it (it has not run out): taken before a step that creates state at the CA, so that the step runs with a
     * whole lease ahead of it and no other node can take the mailbox over and place a second order meanwhile.
     *
     * @return {@code false} if {@code owner} no longer holds the lease: the caller must stop
     */
    boolean extendLease(String mailbox, String owner, Instant until);

    /** @return {@code false} if {@code owner} did not hold the row's lease */
    boolean release(String mailbox, String owner);

    /**
     * One page of enrolments in mailbox order, filtered by domain (case-insensitive) and step.
     *
     * @param afterMailbox the last mailbox of the previous page (exclusive); empty for the first page
     * @param limit        the page size, 1 to {@value #MAX_PAGE}
     */
    List<Enrolment> list(Optional<String> domain, Optional<EnrolmentStep> step, Optional<String> afterMailbox,
                         int limit);

    /** The largest page {@link #list} returns. */
    int MAX_PAGE = 1000;

    /** How many enrolments are at each step (steps with none are absent). */
    Map<EnrolmentStep, Long> countByStep();

    /** @return {@code false} if there was none */
    boolean delete(String mailbox);
}
