package dev.acmesmime.store;

import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * A forward waiting in the outbox (the CA role forwards validated responses over HTTP).
 *
 * @param id            the outbox's identifier of the item
 * @param destination   where it goes (for instance the forward endpoint's name or URL)
 * @param payload       the bytes to send (JSON, for instance)
 * @param state         pending, done or failed
 * @param attempts      how many times a node has claimed it to send it
 * @param createdAt     when it was enqueued
 * @param nextAttemptAt when it is due (again)
 * @param lastError     the error of the last failed attempt
 * @param finishedAt    when it was done or given up
 */
public record OutboxItem(long id, String destination, byte[] payload, OutboxState state, int attempts,
                         Instant createdAt, Instant nextAttemptAt, Optional<String> lastError,
                         Optional<Instant> finishedAt) {

    public OutboxItem {
        Objects.requireNonNull(destination, "destination");
        payload = payload.clone();
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(nextAttemptAt, "nextAttemptAt");
        Objects.requireNonNull(lastError, "lastError");
        Objects.requireNonNull(finishedAt, "finishedAt");
    }

    /** A copy of the payload. */
    @Override
    public byte[] payload() {
        return payload.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OutboxItem other && id == other.id && destination.equals(other.destination)
                && Arrays.equals(payload, other.payload) && state == other.state && attempts == other.attempts
                && createdAt.equals(other.createdAt) && nextAttemptAt.equals(other.nextAttemptAt)
                && lastError.equals(other.lastError) && finishedAt.equals(other.finishedAt);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(id);
    }

    @Override
    public String toString() {
        return "OutboxItem[id=" + id + ", destination=" + destination + ", payload=" + payload.length + " bytes, state="
                + state + ", attempts=" + attempts + ", nextAttemptAt=" + nextAttemptAt + ", lastError="
                + lastError.orElse(null) + "]";
    }
}
