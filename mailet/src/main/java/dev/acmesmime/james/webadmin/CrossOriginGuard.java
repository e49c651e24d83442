package dev.acmesmime.james.webadmin;

import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.WeakHashMap;

import javax.servlet.http.HttpServletResponse;

import org.apache.james.webadmin.Constants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.acmesmime.james.runtime.AllowedOrigins;

import spark.Request;
import spark.Response;
import spark.Service;

/**
 * Keeps web pages away from WebAdmin, for every route of the server, James's own included.
 * <p>
 * James 3.8.1 answers every WebAdmin request with {@code Access-Control-Allow-Origin: *} and every
 * preflight {@code OPTIONS} with the methods asked for, even with {@code cors.enable=false} (its
 * {@code WebAdminServer.configureCORS} tests {@code enabled} instead of {@code cors.enable}). So any page
 * open in the admin's browser could create users or register pending challenges, and get a certificate
 * issued for a mailbox. A plain cross-site form POST needs no CORS at all.
 * <p>
 * Installed by {@link CaRoutes} and {@link OrganisationRoutes} (once per server, whichever is loaded):
 * <ul>
 *   <li>a request with an {@code Origin} header that is not in {@value AllowedOrigins#KEY}, or without
 *       {@code Origin} but with {@code Sec-Fetch-Site: cross-site}, is refused with 403 and James's error
 *       JSON before any route runs; preflights included;</li>
 *   <li>requests without {@code Origin} (curl, the CLI, scripts) are served as before;</li>
 *   <li>James's CORS answer headers are removed, except for an allowed origin, which gets its own origin
 *       back in {@code Access-Control-Allow-Origin} (never {@code *}) and {@code Vary: Origin}.</li>
 * </ul>
 * Each refusal is logged at INFO by this class, with the method, path and origin. The guard does not
 * authenticate: anything that can reach the port without a browser can still call WebAdmin, so keep it on
 * loopback or turn on its JWT authentication (see {@code docs/operations.md}).
 */
public final class CrossOriginGuard {
    static final String ORIGIN = "Origin";
    static final String SEC_FETCH_SITE = "Sec-Fetch-Site";
    static final String ALLOW_ORIGIN = "Access-Control-Allow-Origin";
    /** Every CORS answer header James 3.8.1 sets ({@code Access-Control-Request-Method} wrongly so). */
    static final List<String> CORS_ANSWER_HEADERS = List.of(ALLOW_ORIGIN, "Access-Control-Allow-Methods",
            "Access-Control-Allow-Headers", "Access-Control-Request-Method", "Access-Control-Allow-Credentials",
            "Access-Control-Expose-Headers", "Access-Control-Max-Age");
    private static final Logger LOGGER = LoggerFactory.getLogger(CrossOriginGuard.class);
    private static final int LOGGED_ORIGIN_MAX = 100;
    /** Servers that have the guard: both route classes may be loaded into one WebAdmin. */
    private static final Set<Service> GUARDED = Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));

    private final AllowedOrigins allowed;

    private CrossOriginGuard(AllowedOrigins allowed) {
        this.allowed = allowed;
    }

    /**
     * Installs the guard on {@code service} unless it has it already.
     *
     * @return whether it was installed by this call
     */
    public static boolean installOnce(Service service, AllowedOrigins allowed) {
        if (!GUARDED.add(service)) {
            return false;
        }
        CrossOriginGuard guard = new CrossOriginGuard(allowed);
        service.before(guard::refuseForeign);
        // after-after runs for every answer, refusals and errors included, before the body is written
        service.afterAfter(guard::rewriteCorsHeaders);
        LOGGER.info("WebAdmin cross-origin guard installed; allowed origins: {}",
                allowed.isEmpty() ? "none" : allowed.origins());
        return true;
    }

    private void refuseForeign(Request request, Response response) {
        String origin = request.headers(ORIGIN);
        boolean foreign = origin != null
                ? !allowed.allows(origin)
                : "cross-site".equalsIgnoreCase(request.headers(SEC_FETCH_SITE));
        if (foreign) {
            String shown = printable(origin == null ? "(none, Sec-Fetch-Site: cross-site)" : origin);
            LOGGER.info("WebAdmin refused a cross-origin {} {} from origin {}", request.requestMethod(),
                    printable(request.pathInfo()), shown);
            response.type(Constants.JSON_CONTENT_TYPE);
            throw RouteErrors.forbidden("cross-origin request refused: origin %s is not in %s", shown,
                    AllowedOrigins.KEY);
        }
    }

    private void rewriteCorsHeaders(Request request, Response response) {
        HttpServletResponse raw = response.raw();
        String origin = request.headers(ORIGIN);
        if (allowed.allows(origin)) {
            raw.setHeader(ALLOW_ORIGIN, origin);
            raw.addHeader("Vary", ORIGIN);
            return;
        }
        // Jetty removes a header set to null
        CORS_ANSWER_HEADERS.forEach(name -> raw.setHeader(name, null));
    }

    /** A request value fit for the log: printable ASCII, bounded. */
    private static String printable(String value) {
        String bounded = value.length() > LOGGED_ORIGIN_MAX ? value.substring(0, LOGGED_ORIGIN_MAX) + "…" : value;
        return bounded.replaceAll("[^\\x20-\\x7E…]", "?");
    }
}
