package dev.acmesmime.testca.acme;

/**
 * Thrown by a handler to answer with a {@link Problem}; the router turns it into the problem document. An
 * exception because a refusal can be found deep in a check (JWS, nonce, EAB) and ends the request there.
 */
public final class AcmeProblemException extends RuntimeException {
    private final transient Problem problem;

    public AcmeProblemException(Problem problem) {
        super(problem.type().uri() + ": " + problem.detail(), null, false, false);
        this.problem = problem;
    }

    public Problem problem() {
        return problem;
    }
}
