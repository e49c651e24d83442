package dev.acmesmime.rfc8823;

import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The result of inspecting one mail: what it is, every check that ran, the values extracted,
 * and the leniency options that had to be used for it to pass.
 * <p>
 * Validity is a conjunction that fails closed: a verdict is valid only when the mail is a
 * challenge or response, at least one authenticity check ran and passed, and no check failed.
 * A signature check that was not performed is reported as failed, so it can never yield
 * "valid" (compare BouncyCastle's {@code ValidationResult.isValidSignature()}).
 *
 * @param kind        challenge, response or other
 * @param checks      every check in the order it ran
 * @param values      what was read from the mail
 * @param leniencies  the relaxations (by {@link Leniency#option()}) that this mail needed
 */
public record Verdict(MessageKind kind, List<Check> checks, ExtractedValues values, List<String> leniencies) {

    /** Codes whose passing check proves the sender's authenticity (C15, R15). */
    private static final Set<FailureCode> AUTHENTICITY = Set.of(
            FailureCode.DKIM_INVALID, FailureCode.SMIME_INVALID);

    public Verdict {
        Objects.requireNonNull(kind, "kind");
        checks = List.copyOf(checks);
        values = values == null ? ExtractedValues.NONE : values;
        leniencies = List.copyOf(leniencies);
    }

    /** {@code true} only for a challenge or response that passed every check, authenticity included. */
    public boolean valid() {
        return kind != MessageKind.OTHER
                && !checks.isEmpty()
                && checks.stream().allMatch(Check::ok)
                && checks.stream().anyMatch(c -> c.ok() && AUTHENTICITY.contains(c.code()));
    }

    /** The failed checks' codes, in order, without repeats. */
    public List<FailureCode> failureCodes() {
        return checks.stream().filter(c -> !c.ok()).map(Check::code).distinct().collect(Collectors.toList());
    }

    /** {@code true} when the only failures are {@code dkim-temperror}: try again later, not invalid for good (D16). */
    public boolean retryable() {
        List<FailureCode> f = failureCodes();
        return !f.isEmpty() && f.stream().allMatch(c -> c == FailureCode.DKIM_TEMPERROR);
    }

    public boolean has(FailureCode code) {
        return failureCodes().contains(code);
    }
}
