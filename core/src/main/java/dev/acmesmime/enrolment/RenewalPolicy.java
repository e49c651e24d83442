package dev.acmesmime.enrolment;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.random.RandomGenerator;

import dev.acmesmime.acme.RenewalWindow;

/**
 * When an issued certificate is renewed. With ACME Renewal Information the CA decides: a uniformly random
 * point in its suggested window (RFC 9773 §4.2), at once when the window has begun or passed. Without it,
 * at two thirds of the lifetime, earlier by a random part of {@code jitter} × lifetime, so that mailboxes
 * enrolled in the same minute spread their renewals. Never before {@code now}.
 *
 * @param jitter share of the lifetime the renewal may come earlier (0..0.5), {@code enrolment.renewal.jitter}
 * @see <a href="https://www.rfc-editor.org/rfc/rfc9773#section-4.2">RFC 9773 §4.2</a>
 */
public record RenewalPolicy(double jitter, RandomGenerator random) {
    public RenewalPolicy {
        if (!(jitter >= 0 && jitter <= 0.5)) {
            throw new IllegalArgumentException("jitter must be between 0 and 0.5");
        }
    }

    /**
     * The renewal time of a certificate valid from {@code notBefore} to {@code notAfter}.
     *
     * @param window the CA's window, empty when it offers no renewal information
     */
    public Instant renewAt(Instant notBefore, Instant notAfter, Optional<RenewalWindow> window, Instant now) {
        Instant at = window.map(this::inWindow).orElseGet(() -> twoThirds(notBefore, notAfter));
        return at.isBefore(now) ? now : at;
    }

    /**
     * Whether a certificate whose scheduled renewal time has come (or that an admin asked to re-check) is to
     * be renewed now: with a window, once it has begun; without, once the earliest point of the jittered
     * two-thirds band has passed.
     *
     * @return empty: renew now; else when to look again (a point in the window, no later than the CA's
     *         Retry-After for the window, RFC 9773 §4.3)
     */
    public Optional<Instant> notYetDue(Instant notBefore, Instant notAfter, Optional<RenewalWindow> window,
                                       Instant now) {
        if (window.isPresent()) {
            RenewalWindow w = window.get();
            if (!now.isBefore(w.start())) {
                return Optional.empty();
            }
            Instant at = inWindow(w);
            return Optional.of(w.retryAfter().filter(at::isAfter).orElse(at));
        }
        long lifetime = Math.max(0, Duration.between(notBefore, notAfter).toMillis());
        Instant earliest = notBefore.plusMillis(lifetime * 2 / 3 - (long) (lifetime * jitter));
        return now.isBefore(earliest) ? Optional.of(twoThirds(notBefore, notAfter)) : Optional.empty();
    }

    private Instant inWindow(RenewalWindow w) {
        long span = Duration.between(w.start(), w.end()).toMillis();
        return span <= 0 ? w.start() : w.start().plusMillis(random.nextLong(span));
    }

    private Instant twoThirds(Instant notBefore, Instant notAfter) {
        long lifetime = Math.max(0, Duration.between(notBefore, notAfter).toMillis());
        long early = (long) (lifetime * jitter * random.nextDouble());
        return notBefore.plusMillis(lifetime * 2 / 3 - early);
    }
}
