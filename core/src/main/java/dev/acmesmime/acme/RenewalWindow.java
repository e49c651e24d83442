package dev.acmesmime.acme;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The CA's suggested renewal window for a certificate (ACME Renewal Information, RFC 9773 §4.2).
 *
 * @param start      renew no earlier than this
 * @param end        renew before this
 * @param retryAfter when to ask for the window again (RFC 9773 §4.3)
 * @see <a href="https://www.rfc-editor.org/rfc/rfc9773">RFC 9773</a>
 */
public record RenewalWindow(Instant start, Instant end, Optional<Instant> retryAfter) {
    public RenewalWindow {
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
        Objects.requireNonNull(retryAfter, "retryAfter");
    }
}
