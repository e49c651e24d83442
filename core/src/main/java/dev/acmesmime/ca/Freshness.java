package dev.acmesmime.ca;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

import dev.acmesmime.store.IssuedChallenge;

/**
 * B7 (S/MIME BR 3.2.2.4): a response counts only while its challenge is valid, at most 24 hours
 * after it was created; a CP/CPS may set less.
 *
 * @param validity how long after its creation a challenge may be answered
 */
public record Freshness(Duration validity) {
    /** Longest validity S/MIME BR 3.2.2.4 allows (B7). */
    public static final Duration MAX_VALIDITY = Duration.ofHours(24);

    public Freshness {
        Objects.requireNonNull(validity, "validity");
        if (validity.isNegative() || validity.isZero() || validity.compareTo(MAX_VALIDITY) > 0) {
            throw new IllegalArgumentException("validity must be more than 0 and at most 24 hours");
        }
    }

    /** When answers to {@code c} stop counting: its own end or creation plus the validity, the earlier. */
    public Instant end(IssuedChallenge c) {
        Instant byValidity = c.createdAt().plus(validity);
        return c.expiresAt().isBefore(byValidity) ? c.expiresAt() : byValidity;
    }

    /** {@code true} when a response received at {@code now} comes too late for {@code c}. */
    public boolean expired(IssuedChallenge c, Instant now) {
        return !now.isBefore(end(c));
    }
}
