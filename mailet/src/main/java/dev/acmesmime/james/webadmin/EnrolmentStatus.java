package dev.acmesmime.james.webadmin;

import java.util.Locale;
import java.util.Optional;

import dev.acmesmime.store.EnrolmentStep;

/**
 * What WebAdmin tells an administrator about a mailbox's enrolment, in four words: {@code none}
 * (nothing done yet), {@code pending} (an order is live; the step says where), {@code issued} (a
 * certificate is current) or {@code failed} (given up until someone acts; the CA's problem says why).
 */
public enum EnrolmentStatus {
    NONE, PENDING, ISSUED, FAILED;

    /** The status of a mailbox at {@code step}. */
    public static EnrolmentStatus of(EnrolmentStep step) {
        switch (step) {
            case NONE:
                return NONE;
            case ISSUED:
                return ISSUED;
            case FAILED:
                return FAILED;
            default:
                return PENDING;
        }
    }

    /**
     * @return the status named {@code value} (case-insensitive), or empty if there is none
     */
    public static Optional<EnrolmentStatus> parse(String value) {
        for (EnrolmentStatus s : values()) {
            if (s.value().equalsIgnoreCase(value.trim())) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    /** The one store step this status is, or empty for {@link #PENDING} (every step with a live order). */
    public Optional<EnrolmentStep> step() {
        switch (this) {
            case NONE:
                return Optional.of(EnrolmentStep.NONE);
            case ISSUED:
                return Optional.of(EnrolmentStep.ISSUED);
            case FAILED:
                return Optional.of(EnrolmentStep.FAILED);
            default:
                return Optional.empty();
        }
    }

    /** The name as WebAdmin writes it. */
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** A step as WebAdmin writes it: {@code challenge-registered}. */
    static String stepName(EnrolmentStep step) {
        return step.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
