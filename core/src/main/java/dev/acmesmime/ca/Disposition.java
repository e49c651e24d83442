package dev.acmesmime.ca;

/**
 * What {@link ResponseProcessor} did with a response mail. Only {@link #FORWARDED} (and the repair
 * case of {@link #DUPLICATE}) puts anything in the outbox: a response that is not authentic never
 * reaches the ACME server, so strangers cannot invalidate challenges (RFC 8823 §6, interop trap 5).
 */
public enum Disposition {
    /** Authentic, correlated, fresh and first: queued for the ACME server. */
    FORWARDED("forwarded"),
    /** The same response (same digest) was handled before: nothing new is sent (idempotent). */
    DUPLICATE("duplicate"),
    /** Another authentic response used the challenge before: no further guesses (S0f). */
    ALREADY_USED("already-used"),
    /** No challenge the CA sent matches its token-part1. */
    UNCORRELATED("uncorrelated"),
    /** Received after the challenge's validity ended (S/MIME BR 3.2.2.4, B7). */
    EXPIRED("expired"),
    /** A check failed; the audit outcome names the first failure code. */
    REJECTED("rejected"),
    /** Only a temporary DKIM key lookup error (D16): the mail may be tried again later. */
    TEMPORARY("temperror");

    private final String code;

    Disposition(String code) {
        this.code = code;
    }

    /** Stable kebab-case name. */
    public String code() {
        return code;
    }
}
