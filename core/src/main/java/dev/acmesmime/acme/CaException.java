package dev.acmesmime.acme;

import java.util.Objects;

/**
 * A {@link CaClient} call failed; {@link #problem()} says why, and whether and when to try again. The one
 * exception of this package: the engine acts on the problem's data, not on exception classes.
 */
public final class CaException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient CaProblem problem;

    public CaException(CaProblem problem) {
        this(problem, null);
    }

    public CaException(CaProblem problem, Throwable cause) {
        super(Objects.requireNonNull(problem, "problem").toString(), cause);
        this.problem = problem;
    }

    public CaProblem problem() {
        return problem;
    }
}
