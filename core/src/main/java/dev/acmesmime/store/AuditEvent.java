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
