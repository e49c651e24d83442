package dev.acmesmime.rfc8823;

import java.time.Clock;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * Inspects raw mails against RFC 8823 and returns a {@link Verdict}. Never throws for bad mail.
 * <p>
 * Strict by default; every relaxation is a named {@link Leniency}. Thread-safe and reusable.
 *
 * <pre>{@code
 * AcmeMailInspector inspector = AcmeMailInspector.builder()
 *         .authenticity(dkimVerifier)
 *         .build();
 * Verdict v = inspector.inspectChallenge(raw, Expectations.builder().expectedFrom(challengeFrom).build());
 * }</pre>
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8823#section-3">RFC 8823 §3</a>
 */
public final class AcmeMailInspector {

    private final Set<Leniency> leniencies;
    private final AuthenticityVerifier authenticity;
    private final Clock clock;

    private AcmeMailInspector(Builder b) {
        this.leniencies = b.leniencies.isEmpty() ? EnumSet.noneOf(Leniency.class) : EnumSet.copyOf(b.leniencies);
        this.authenticity = b.authenticity;
        this.clock = b.clock;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Classifies the mail and runs the matching checks, with no expectations. */
    public Verdict inspect(byte[] raw) {
        return inspect(raw, Expectations.NONE);
    }

    /** Classifies the mail (challenge, response or other) and runs the matching checks. */
    public Verdict inspect(byte[] raw, Expectations expectations) {
        throw new UnsupportedOperationException("TODO");
    }

    /** Runs the challenge checks (C4–C14, C21, C23, C24, D14) and authenticity; {@code not-acme} if it is no challenge. */
    public Verdict inspectChallenge(byte[] raw, Expectations expectations) {
        throw new UnsupportedOperationException("TODO");
    }

    /** Runs the response checks (R1–R14, D14) and authenticity; {@code not-acme} if it is no response. */
    public Verdict inspectResponse(byte[] raw, Expectations expectations) {
        throw new UnsupportedOperationException("TODO");
    }

    Set<Leniency> leniencies() {
        return leniencies;
    }

    /** Builder with strict defaults. */
    public static final class Builder {
        private final Set<Leniency> leniencies = EnumSet.noneOf(Leniency.class);
        private AuthenticityVerifier authenticity = AuthenticityVerifier.NOT_PERFORMED;
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        /** Enables one named relaxation; see {@link Leniency}. */
        public Builder leniency(Leniency leniency) {
            leniencies.add(Objects.requireNonNull(leniency, "leniency"));
            return this;
        }

        /** The signature verifier; without one, no verdict is valid. */
        public Builder authenticity(AuthenticityVerifier verifier) {
            this.authenticity = Objects.requireNonNull(verifier, "verifier");
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        public AcmeMailInspector build() {
            return new AcmeMailInspector(this);
        }
    }
}
