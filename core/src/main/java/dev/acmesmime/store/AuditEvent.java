package dev.acmesmime.store;

import java.util.Arrays;
import java.util.Optional;

/**
 * What an audit record says happened. The values are stable: admins query and grep on them
 * ({@code GET /acme-smime/audit?event=…}), so they are never renamed.
 */
public enum AuditEvent {
    // organisation role
    /** A challenge mail for a local mailbox was answered (C22: once). */
    CHALLENGE_ANSWERED("challenge-answered"),
    /** A challenge mail for a local mailbox was not answered; the outcome is the first code (C19). */
    CHALLENGE_IGNORED("challenge-ignored"),
    /**
     * The response of an answered challenge could not be handed to the mail system before the
     * challenge expired (issue 14 §3); the outcome is {@code expired}, the detail the last error.
     */
    CHALLENGE_RESPONSE_EXPIRED("challenge-response-expired"),

    // organisation role: automatic enrolment, one per step (the answer itself is challenge-answered)
    /** An ACME order was placed for a mailbox (a renewal names the certificate it replaces). */
    ENROLMENT_ORDERED("enrolment-ordered"),
    /** The challenge URL was POSTed after the answer went out (RFC 8555 §7.5.1). */
    ENROLMENT_CHALLENGE_POSTED("enrolment-challenge-posted"),
    /** A mailbox's first certificate was stored. */
    ENROLMENT_ISSUED("enrolment-issued"),
    /** A certificate replacing an earlier one was stored. */
    ENROLMENT_RENEWED("enrolment-renewed"),
    /** A mailbox's certificate was revoked (its user was deleted, or an admin asked). */
    ENROLMENT_REVOKED("enrolment-revoked"),
    /** An enrolment step failed; the outcome is the CA's problem type, the detail its problem detail. */
    ENROLMENT_FAILED("enrolment-failed"),
    /** A mailbox's key and chain were exported as PKCS#12 (G10); the outcome says the format, never the password. */
    PKCS12_EXPORTED("pkcs12-exported"),

    // CA role: challenges
    /** The ACME server told the CA-role James about a challenge it sent itself. */
    CHALLENGE_REGISTERED("challenge-registered"),
    /** The challenge signer signed and recorded an outgoing challenge. */
    CHALLENGE_SIGNED("challenge-signed"),
    /** The challenge signer held an outgoing challenge it could not sign or record. */
    CHALLENGE_HELD("challenge-held"),

    // CA role: responses, one per disposition
    RESPONSE_FORWARDED("response-forwarded"),
    RESPONSE_DUPLICATE("response-duplicate"),
    RESPONSE_ALREADY_USED("response-already-used"),
    RESPONSE_UNCORRELATED("response-uncorrelated"),
    RESPONSE_EXPIRED("response-expired"),
    RESPONSE_REJECTED("response-rejected"),
    RESPONSE_TEMPERROR("response-temperror"),

    // CA role: delivery to the ACME server
    FORWARD_DELIVERED("forward-delivered"),
    FORWARD_ATTEMPT_FAILED("forward-attempt-failed"),
    FORWARD_FAILED("forward-failed"),
    FORWARD_EXPIRED("forward-expired");

    private final String value;

    AuditEvent(String value) {
        this.value = value;
    }

    /** The stable name stored in the record. */
    public String value() {
        return value;
    }

    public static Optional<AuditEvent> fromValue(String value) {
        return Arrays.stream(values()).filter(e -> e.value.equals(value)).findFirst();
    }

    @Override
    public String toString() {
        return value;
    }
}
