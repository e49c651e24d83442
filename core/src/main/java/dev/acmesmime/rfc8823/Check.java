package dev.acmesmime.rfc8823;

import java.util.Objects;

/**
 * The outcome of one check: its stable {@link FailureCode}, whether it passed, and a one-line detail.
 * <p>
 * The detail never contains a line break and quotes values taken from the mail through
 * {@link Untrusted#quote(String)}, so a forged header cannot forge log lines.
 *
 * @param code   the code this check reports when it fails
 * @param ok     {@code true} when the check passed
 * @param detail one line saying what was found
 */
public record Check(FailureCode code, boolean ok, String detail) {

    public Check {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(detail, "detail");
        detail = Untrusted.oneLine(detail);
    }

    public static Check pass(FailureCode code, String detail) {
        return new Check(code, true, detail);
    }

    public static Check fail(FailureCode code, String detail) {
        return new Check(code, false, detail);
    }

    /**
     * What to call this outcome: the check's name when it passed ({@link FailureCode#check()}, e.g.
     * {@code smime-signature}), its failure code when it failed (e.g. {@code smime-invalid}).
     */
    public String label() {
        return ok ? code.check() : code.code();
    }

    @Override
    public String toString() {
        return (ok ? "ok   " : "FAIL ") + label() + ": " + detail;
    }
}
