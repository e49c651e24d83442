package dev.acmesmime.store;

/** Where a {@link PendingChallenge} stands. */
public enum ChallengeStatus {
    /** Registered, waiting for the challenge mail; answerable until it expires. */
    PENDING,
    /** A response was sent; the time and the response's Message-ID are recorded. */
    ANSWERED,
    /** Its expiry passed before it was answered. */
    EXPIRED
}
