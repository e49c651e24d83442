package dev.acmesmime.testca.acme;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dispatches requests by path to {@link Resource}s, and answers what no resource does: an unknown path is
 * 404, a method a resource lacks is 405 (RFC 8555 §6.3: resources other than the directory, newNonce and
 * renewalInfo answer POST only). Every answer of the ACME port carries a fresh {@code Replay-Nonce}
 * (RFC 8555 §6.5), problem documents included, so a client can retry a badNonce at once. A handler's
 * {@link AcmeProblemException} becomes its problem document; anything else becomes serverInternal and is
 * logged with its stack.
 */
public final class Router implements HttpHandler {
    private static final Logger LOG = LoggerFactory.getLogger(Router.class);

    /** A path (exact, or a prefix when it ends with {@code /}) and its GET and POST resources (either may be null). */
    public record Route(String path, Resource get, Resource post) {
        boolean prefix() {
            return path.endsWith("/");
        }
    }

    private final List<Route> routes = new ArrayList<>();
    private final Optional<Supplier<String>> nonces;

    /** @param nonces issues the Replay-Nonce of every answer; empty on the management port */
    public Router(Optional<Supplier<String>> nonces) {
        this.nonces = nonces;
    }

    public Router get(String path, Resource get) {
        return add(new Route(path, get, null));
    }

    public Router post(String path, Resource post) {
        return add(new Route(path, null, post));
    }

    public Router add(Route route) {
        routes.add(route);
        return this;
    }

    @Override
    public void handle(HttpExchange http) {
        String path = http.getRequestURI().getRawPath();
        Optional<Route> route = find(path);
        Exchange ex = new Exchange(http, route.map(r -> r.prefix() ? path.substring(r.path().length()) : "")
                .orElse(""));
        nonces.ifPresent(n -> ex.header("Replay-Nonce", n.get()));
        try {
            if (route.isEmpty()) {
                throw Problem.of(ProblemType.NOT_FOUND, "no resource at " + path).exception();
            }
            resource(route.get(), ex).handle(ex);
        } catch (AcmeProblemException e) {
            LOG.info("{} {} -> {} {}", ex.method(), path, e.problem().type().uri(), e.problem().detail());
            answer(ex, e.problem());
        } catch (RuntimeException e) {
            LOG.error("{} {} failed", ex.method(), path, e);
            answer(ex, Problem.of(ProblemType.SERVER_INTERNAL, "the test CA failed: " + e.getClass().getSimpleName()));
        }
    }

    private static void answer(Exchange ex, Problem problem) {
        try {
            ex.problem(problem);
        } catch (RuntimeException e) {
            // the answer was already (partly) sent, or the client went away: nothing more to tell it
            LOG.debug("could not answer {}", ex.path(), e);
        }
    }

    private Optional<Route> find(String path) {
        for (Route r : routes) {
            if (r.prefix() ? path.startsWith(r.path()) : path.equals(r.path())) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }

    private static Resource resource(Route route, Exchange ex) {
        String method = ex.method();
        Resource r = switch (method) {
            case "GET", "HEAD" -> route.get();
            case "POST" -> route.post();
            default -> null;
        };
        if (r == null) {
            ex.header("Allow", route.get() == null ? "POST" : route.post() == null ? "GET, HEAD" : "GET, HEAD, POST");
            throw Problem.of(ProblemType.METHOD_NOT_ALLOWED, method + " is not allowed on " + ex.path()
                    + (route.get() == null ? " (use POST-as-GET, RFC 8555 §6.3)" : "")).exception();
        }
        return r;
    }
}
