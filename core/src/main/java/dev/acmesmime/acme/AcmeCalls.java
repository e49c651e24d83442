package dev.acmesmime.acme;

import java.time.Instant;
import java.util.Optional;

import org.shredzone.acme4j.Problem;
import org.shredzone.acme4j.exception.AcmeException;
import org.shredzone.acme4j.exception.AcmeLazyLoadingException;
import org.shredzone.acme4j.exception.AcmeNetworkException;
import org.shredzone.acme4j.exception.AcmeNotSupportedException;
import org.shredzone.acme4j.exception.AcmeProtocolException;
import org.shredzone.acme4j.exception.AcmeRateLimitedException;
import org.shredzone.acme4j.exception.AcmeServerException;

/**
 * Runs one acme4j exchange and turns every acme4j failure into a {@link CaException}, so the engine sees
 * the CA's problem document and nothing of acme4j:
 * <table>
 * <caption>acme4j failures and the problem the engine sees</caption>
 * <tr><th>acme4j</th><th>{@link CaProblem#type()}</th></tr>
 * <tr><td>{@code AcmeRateLimitedException}</td><td>the CA's {@code rateLimited}, with Retry-After</td></tr>
 * <tr><td>{@code AcmeServerException}</td><td>the CA's type, detail and HTTP status</td></tr>
 * <tr><td>{@code AcmeNetworkException}, other {@code AcmeException}</td><td>{@value CaProblem#CONNECTION}
 *     (retryable): no ACME answer came back</td></tr>
 * <tr><td>{@code AcmeNotSupportedException}</td><td>{@value CaProblem#NOT_AVAILABLE}</td></tr>
 * <tr><td>{@code AcmeProtocolException}</td><td>{@value CaProblem#PROTOCOL}</td></tr>
 * </table>
 */
final class AcmeCalls {
    /** One exchange with the CA. */
    @FunctionalInterface
    interface Exchange<T> {
        T run() throws AcmeException;
    }

    private AcmeCalls() {
    }

    /** Runs {@code exchange}; {@code what} (a step and a URL, never a secret) prefixes client-side details. */
    static <T> T call(String what, Exchange<T> exchange) {
        try {
            return exchange.run();
        } catch (AcmeLazyLoadingException e) {
            throw new CaException(problem(what, e.getCause()), e);
        } catch (AcmeException e) {
            throw new CaException(problem(what, e), e);
        } catch (AcmeNotSupportedException e) {
            // an AcmeProtocolException in acme4j 4, but the CA is not at fault: it lacks an optional feature
            throw new CaException(CaProblem.client(CaProblem.NOT_AVAILABLE, what + ": " + e.getMessage()), e);
        } catch (AcmeProtocolException e) {
            throw new CaException(CaProblem.client(CaProblem.PROTOCOL, what + ": " + e.getMessage()), e);
        }
    }

    static CaProblem problem(String what, Throwable e) {
        if (e instanceof AcmeRateLimitedException) {
            AcmeRateLimitedException r = (AcmeRateLimitedException) e;
            return fromCa(r.getProblem(), 429, r.getRetryAfter());
        }
        if (e instanceof AcmeServerException) {
            return fromCa(((AcmeServerException) e).getProblem(), 0, Optional.empty());
        }
        String kind = e instanceof AcmeNetworkException ? "network" : "no ACME answer";
        return CaProblem.client(CaProblem.CONNECTION, what + ": " + kind + ": " + rootMessage(e));
    }

    /** The CA's problem document; {@code fallbackStatus} when it does not carry its HTTP status. */
    static CaProblem fromCa(Problem problem, int fallbackStatus, Optional<Instant> retryAfter) {
        int status = problem.asJSON().get("status").map(v -> v.asInt()).orElse(fallbackStatus);
        String detail = problem.getDetail().or(problem::getTitle).orElse("");
        return new CaProblem(problem.getType().toString(), detail, status, retryAfter);
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t == e ? String.valueOf(e.getMessage()) : e.getMessage() + " (" + t + ")";
    }
}
