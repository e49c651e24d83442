package dev.acmesmime.enrolment;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import dev.acmesmime.store.PendingChallenge;
import dev.acmesmime.store.PendingChallengeStore;

/**
 * The store's pending challenges, except that registering one kills the node ({@link KillNine}, an
 * {@link Error} the engine does not catch): the row stays as last stored, at {@code ORDERED}, and the lease
 * stays taken, as after a {@code kill -9}.
 */
final class DyingPendingChallenges implements PendingChallengeStore {
    /** The process dies here. */
    static final class KillNine extends Error {
        private static final long serialVersionUID = 1L;

        KillNine() {
            super("kill -9 before the challenge was registered");
        }
    }

    private final PendingChallengeStore store;

    DyingPendingChallenges(PendingChallengeStore store) {
        this.store = store;
    }

    @Override
    public boolean register(PendingChallenge.Registration registration) {
        throw new KillNine();
    }

    @Override
    public Optional<PendingChallenge> find(URI challengeUrl) {
        return store.find(challengeUrl);
    }

    @Override
    public List<PendingChallenge> findAnswerable(String mailbox) {
        return store.findAnswerable(mailbox);
    }

    @Override
    public List<PendingChallenge> findByMailbox(String mailbox, int limit) {
        return store.findByMailbox(mailbox, limit);
    }

    @Override
    public int countPending() {
        return store.countPending();
    }

    @Override
    public int countAnsweredSince(String mailbox, Instant since) {
        return store.countAnsweredSince(mailbox, since);
    }

    @Override
    public int countAnsweredFromDomainSince(String domain, Instant since) {
        return store.countAnsweredFromDomainSince(domain, since);
    }

    @Override
    public boolean markAnswering(URI challengeUrl, String responseMessageId) {
        return store.markAnswering(challengeUrl, responseMessageId);
    }

    @Override
    public boolean markAnswered(URI challengeUrl, String responseMessageId) {
        return store.markAnswered(challengeUrl, responseMessageId);
    }

    @Override
    public int expireOverdue() {
        return store.expireOverdue();
    }
}
