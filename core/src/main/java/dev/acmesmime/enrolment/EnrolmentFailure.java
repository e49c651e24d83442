package dev.acmesmime.enrolment;

/**
 * Why an enrolment step failed, as a stable code: the {@code acme-smime.enrolment.failures.<code>} series
 * and the audit record's {@code codes}. When the CA sent a problem document, its type is stored too.
 */
public enum EnrolmentFailure {
    /** The CA answered 429 {@code rateLimited}: the step is tried again at its Retry-After. */
    RATE_LIMITED("rate-limited"),
    /** The CA could not be reached or had trouble of its own (5xx, badNonce): retried with back-off. */
    CA_UNAVAILABLE("ca-unavailable"),
    /** The CA refused (unauthorized, malformed, EAB …): the enrolment is failed, retried with back-off. */
    CA_REFUSED("ca-refused"),
    /** The order went invalid (a wrong digest, refused at finalization): a new order on the next attempt. */
    ORDER_INVALID("order-invalid"),
    /** The challenge expired before the challenge mail was answered: a new order on the next attempt. */
    CHALLENGE_EXPIRED("challenge-expired"),
    /** The CA's challenge could not be registered ({@code RegistrationRequest.validate} refused it). */
    REGISTRATION_REFUSED("registration-refused"),
    /** No CA profile covers the mailbox any more. */
    NO_PROFILE("no-profile"),
    /** A fault of the plugin (store, a bug): retried with back-off; the log has the stack trace. */
    INTERNAL("internal");

    private final String code;

    EnrolmentFailure(String code) {
        this.code = code;
    }

    /** The stable code. */
    public String code() {
        return code;
    }

    @Override
    public String toString() {
        return code;
    }
}
