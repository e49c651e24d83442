package dev.acmesmime.store;

/**
 * Where a mailbox's enrolment stands, one value per step of RFC 8823 enrolment the engine must be
 * able to resume after a restart. {@link #NONE}, {@link #ISSUED} and {@link #FAILED} are rest
 * states; every other step means an order is live and is continued, never started again.
 * <p>
 * Stored by name in {@code acme_smime_enrolment.state}. The names are stable: a new step is added
 * only together with a new schema version, so that a plugin older than the data refuses to start
 * (see {@link SchemaMigrator}) rather than misread a row.
 */
public enum EnrolmentStep {
    /** Known, nothing done yet (or the last certificate was revoked). */
    NONE,
    /** A private key was generated and sealed; no order yet. */
    KEY_READY,
    /** An ACME order exists; its challenge was not read yet. */
    ORDERED,
    /** The challenge (token-part2, from, URL) is registered as pending; the challenge mail is awaited. */
    CHALLENGE_REGISTERED,
    /** The responder answered the challenge mail. */
    ANSWERED,
    /** The challenge URL was POSTed (RFC 8555 §7.5.1); the CA is validating. */
    POSTED,
    /** The order is ready for finalization. */
    VALID,
    /** The CSR was sent; the certificate is awaited. */
    FINALIZING,
    /** A certificate is stored and current; {@code nextAttemptAt} is its renewal time. */
    ISSUED,
    /** Given up until someone acts; the problem columns say why. */
    FAILED;

    /** @return whether no order is live in this step */
    public boolean isRest() {
        return this == NONE || this == ISSUED || this == FAILED;
    }
}
