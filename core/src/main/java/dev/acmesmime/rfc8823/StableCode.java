package dev.acmesmime.rfc8823;

import java.util.Objects;

/**
 * A {@link ReasonCode} of a tool's check outside the mail inspection (the CLI's {@code digest} inputs,
 * {@code dkim-check}), kept as a constant of the class that gives it. Stable as every code: never renamed.
 *
 * @param code  the kebab-case code, e.g. {@code thumbprint-syntax}
 * @param rules the rule IDs behind it, explained in {@code docs/rules.md}
 */
public record StableCode(String code, String rules) implements ReasonCode {

    public StableCode {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(rules, "rules");
    }

    @Override
    public String toString() {
        return code;
    }
}
