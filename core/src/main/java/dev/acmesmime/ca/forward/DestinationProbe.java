package dev.acmesmime.ca.forward;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * What the {@link DeliveryWorker} knows of its ACME server, and when to probe it: the setting
 * {@value ForwardSettings#RETRY_PROBE_SECONDS} (default 30; 0 turns probing off).
 * <p>
 * While the server refuses (the last batch with an attempt had no delivery), or before it has
 * answered once since James started (results may wait from before a restart, refused then), one
 * waiting result is sent every probe interval whatever its back-off, unless some other attempt went
 * out in that interval. Its 2xx makes every waiting result due at once
 * ({@link dev.acmesmime.store.OutboxStore#expedite}), so after an outage of any length the results
 * are delivered within about one probe interval of the server's recovery, not after the back-off
 * (which grows to {@value ForwardSettings#RETRY_MAX_SECONDS}). A probe costs one request per
 * interval to a server that is down, and uses up neither an attempt nor a back-off step.
 * <p>
 * Used by the worker's one polling thread only; not thread-safe.
 */
final class DestinationProbe {
    private enum State { UNKNOWN, DOWN, UP }

    private final Duration interval;
    private State state = State.UNKNOWN;
    private Instant lastAttempt;

    /** @param interval zero for no probes; {@code start} counts as the last attempt */
    DestinationProbe(Duration interval, Instant start) {
        if (interval.isNegative()) {
            throw new IllegalArgumentException("probe interval must not be negative");
        }
        this.interval = interval;
        this.lastAttempt = Objects.requireNonNull(start, "start");
    }

    /** A request went out (an attempt or a probe) at {@code at}. */
    void attempted(Instant at) {
        lastAttempt = at;
    }

    /** A batch or probe delivered something: no probes until the server refuses again. */
    void answered() {
        state = State.UP;
    }

    /** A batch or probe with attempts delivered nothing. */
    void refused() {
        state = State.DOWN;
    }

    /** Whether the server refused last time: a delivery now should bring the waiting results forward. */
    boolean down() {
        return state == State.DOWN;
    }

    /** Whether to send one waiting result now, its back-off notwithstanding. */
    boolean due(Instant now) {
        return !interval.isZero() && state != State.UP && !now.isBefore(lastAttempt.plus(interval));
    }
}
