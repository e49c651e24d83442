package dev.acmesmime.store;

/** Where a {@link PendingChallenge} stands. */
public enum ChallengeStatus {
    /** Registered, waiting for the challenge mail; answerable until it expires. */
    PENDING,
    /**
     * Claimed and its response composed, signed and kept in the {@link ResponseOutboxStore}, not yet
     * taken by James's spool (the outbox retries it until it expires); the time and the response's
     * Message-ID are recorded.
     */
    ANSWERING,
    /** The response was handed to James's spool; the time and the response's Message-ID are recorded. */
    ANSWERED,
    /** Its expiry passed before it was answered. */
    EXPIRED
}
