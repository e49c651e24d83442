package dev.acmesmime.james.runtime;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The web origins whose pages may call WebAdmin, from {@value #KEY} in {@code conf/acme-smime.properties}:
 * comma-separated exact origins as browsers send them in the {@code Origin} header, e.g.
 * <pre>webadmin.allowedOrigins=https://admin.org.example,http://localhost:3000</pre>
 * Empty by default: no web page may call WebAdmin; command-line clients (curl, scripts), which send no
 * {@code Origin}, are not concerned. Each origin is {@code http} or {@code https}, a host and an optional
 * port, lower case, with no path, no trailing slash and no wildcard: a browser compares origins exactly,
 * and so does {@link CrossOriginGuard}.
 *
 * @param origins the allowed origins, each in the form {@code scheme://host[:port]}
 */
public record AllowedOrigins(Set<String> origins) {
    /** The settings key. */
    public static final String KEY = "webadmin.allowedOrigins";

    public AllowedOrigins {
        origins = Set.copyOf(origins);
    }

    /** No origin allowed. */
    public static AllowedOrigins none() {
        return new AllowedOrigins(Set.of());
    }

    /**
     * Reads {@value #KEY}; absent or blank means none.
     *
     * @throws IllegalArgumentException naming {@value #KEY} and the bad value
     */
    public static AllowedOrigins fromProperties(Properties settings) {
        String value = settings.getProperty(KEY, "").trim();
        if (value.isEmpty()) {
            return none();
        }
        return new AllowedOrigins(Arrays.stream(value.split(",", -1)).map(String::trim)
                .map(AllowedOrigins::checked).collect(Collectors.toSet()));
    }

    /** Whether a request's {@code Origin} value is on the list; {@code null} (no header) is not. */
    public boolean allows(String origin) {
        return origin != null && origins.contains(origin);
    }

    public boolean isEmpty() {
        return origins.isEmpty();
    }

    private static String checked(String origin) {
        if (origin.isEmpty()) {
            throw invalid(origin, "an empty entry");
        }
        if (origin.contains("*")) {
            throw invalid(origin, "no wildcards: list each origin");
        }
        URI uri;
        try {
            uri = new URI(origin);
        } catch (URISyntaxException e) {
            throw invalid(origin, "not a URL");
        }
        String scheme = uri.getScheme();
        if (!"http".equals(scheme) && !"https".equals(scheme)) {
            throw invalid(origin, "the scheme must be http or https");
        }
        if (uri.getHost() == null || uri.getRawUserInfo() != null || !uri.getRawPath().isEmpty()
                || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw invalid(origin, "an origin is scheme://host[:port], without path, slash, query or user");
        }
        String canonical = scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT)
                + (uri.getPort() == -1 ? "" : ":" + uri.getPort());
        if (!canonical.equals(origin)) {
            throw invalid(origin, "write it as a browser sends it: " + canonical);
        }
        return origin;
    }

    private static IllegalArgumentException invalid(String origin, String why) {
        return new IllegalArgumentException(KEY + ": '" + origin + "' is not a web origin (" + why + ")");
    }
}
