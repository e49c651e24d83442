package dev.acmesmime.store;

/** Where a mailbox's enrolment stands (the organisation role). */
public enum EnrolmentState {
    /** Known, nothing done yet. */
    NEW,
    /** An ACME order exists; its email-reply-00 challenge is being answered. */
    ORDERED,
    /** A certificate was issued and is current. */
    ISSUED,
    /** The last attempt failed; {@link Enrolment#lastError()} says why. */
    FAILED,
    /** A state written by a newer plugin version (read tolerantly, never written). */
    UNKNOWN
}
