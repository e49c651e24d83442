package dev.acmesmime.ca;

import dev.acmesmime.store.AuditEvent;

/**
 * What {@link ResponseProcessor} did with a response mail. Only {@link #FORWARDED} (and the repair
 * case of {@link #DUPLICATE}) puts anything in the outbox: a response that is not authentic never
 * reaches the ACME server, so strangers cannot invalidate challenges (RFC 8823 §6, interop trap 5).
 */
public enum Disposition {
    /** Authentic, correlated, fresh and first: queued for the ACME server. */
    FORWARDED("forwarded", AuditEvent.RESPONSE_FORWARDED),
    /** The same response (same digest) was handled before: nothing new is sent (idempotent). */
    DUPLICATE("duplicate", AuditEvent.RESPONSE_DUPLICATE),
    /** Another authentic response used the challenge before: no further guesses (S0f). */
    ALREADY_USED("already-used", AuditEvent.RESPONSE_ALREADY_USED),
    /** No challenge the CA sent matches its token-part1. */
    UNCORRELATED("uncorrelated", AuditEvent.RESPONSE_UNCORRELATED),
    /** Received after the challenge's validity ended (S/MIME BR 3.2.2.4, B7). */
    EXPIRED("expired", AuditEvent.RESPONSE_EXPIRED),
    /** A check failed; the audit outcome names the first failure code. */
    REJECTED("rejected", AuditEvent.RESPONSE_REJECTED),
    /** Only a temporary DKIM key lookup error (D16): the mail may be tried again later. */
    TEMPORARY("temperror", AuditEvent.RESPONSE_TEMPERROR);

    private final String code;
    private final AuditEvent event;

    Disposition(String code, AuditEvent event) {
        this.code = code;
        this.event = event;
    }

    /** The audit event a response with this disposition is recorded under. */
    public AuditEvent auditEvent() {
        return event;
    }

    /** Stable kebab-case name. */
    public String code() {
        return code;
    }
}
