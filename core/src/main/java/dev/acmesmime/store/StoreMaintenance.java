package dev.acmesmime.store;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * The store's periodic clean-up, one call per run; the James runtime schedules it hourly.
 * <ul>
 * <li>pending challenges past their expiry become {@code expired} (RFC 8823 §3 step 5, C20);</li>
 * <li>audit and evidence records older than {@code store.audit.retentionDays} are purged
 *     (S/MIME BR §5.4.3, §5.5.2 ask for at least two years; the default is 825 days);</li>
 * <li>answered-challenge claims older than {@link #ANSWERED_CLAIM_RETENTION} are purged, and so are
 *     responses the response outbox finished (sent or given up) that long ago.</li>
 * </ul>
 * Each step is idempotent, so two nodes running it at once only repeat work.
 */
public final class StoreMaintenance {
    /**
     * How long the record "this challenge mail was answered" is kept (C22). ACME challenges live for
     * days, and a challenge without a pending registration is never answered anyway, so 90 days
     * still recognises any redelivery or replay while keeping the table bounded.
     */
    public static final Duration ANSWERED_CLAIM_RETENTION = Duration.ofDays(90);

    /**
     * What one run did.
     *
     * @param expiredChallenges pending challenges marked expired
     * @param purgedAudit       audit records deleted
     * @param purgedEvidence    evidence records deleted
     * @param purgedClaims      answered-challenge claims deleted
     * @param purgedResponses   finished rows of the response outbox deleted
     */
    public record Report(int expiredChallenges, int purgedAudit, int purgedEvidence, int purgedClaims,
                         int purgedResponses) {
    }

    private final AcmeSmimeStore store;
    private final Clock clock;

    public StoreMaintenance(AcmeSmimeStore store, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Runs every step once. */
    public Report runOnce() {
        int expired = store.pendingChallenges().expireOverdue();
        int audit = store.audit().purgeExpired();
        int evidence = store.evidence().purgeExpired();
        Instant cutoff = clock.instant().minus(ANSWERED_CLAIM_RETENTION);
        int claims = store.answeredChallenges().purgeClaimedBefore(cutoff);
        int responses = store.responseOutbox().purgeFinishedBefore(cutoff);
        return new Report(expired, audit, evidence, claims, responses);
    }
}
