package dev.acmesmime.store;

/** The outcome of an {@link OutboxItem} so far. */
public enum OutboxState {
    /** Waiting for its next attempt (possibly leased by a node that is sending it now). */
    PENDING,
    /** Delivered. */
    DONE,
    /** Given up: failed for good or out of attempts. An admin may {@link OutboxStore#retry retry} it. */
    FAILED
}
