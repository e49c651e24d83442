package dev.acmesmime.ca.forward;

import java.util.Objects;

import dev.acmesmime.rfc8823.Untrusted;

/**
 * The result of one HTTP attempt.
 *
 * @param status    the HTTP status, or 0 when no answer came (connection refused, timeout, TLS)
 * @param delivered {@code true} for a 2xx answer
 * @param outcome   a stable code: the native server's {@code outcome}, {@code delivered} for the
 *                  contracts without one, {@code http-<status>} or {@code io-error} for failures
 * @param detail    one line for the audit record and the outbox's last error; never a secret
 */
public record DeliveryAttempt(int status, boolean delivered, String outcome, String detail) {
    public DeliveryAttempt {
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(detail, "detail");
    }

    /** A 2xx from a contract whose answer carries no outcome. */
    static DeliveryAttempt withoutOutcome(int status) {
        return new DeliveryAttempt(status, true, "delivered", "HTTP " + status + " (this contract reports no outcome)");
    }

    /** The answer's text for a detail line, quoted as untrusted; empty when there is none. */
    static String answerDetail(String answer) {
        return answer.isBlank() ? "" : ", answer " + Untrusted.quote(answer);
    }
}
