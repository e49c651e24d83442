package dev.acmesmime.james.webadmin;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

import dev.acmesmime.store.AuditQuery;
import spark.Request;

/**
 * The query parameters of {@code GET /acme-smime/audit} and {@code /audit/export}, read into an
 * {@link AuditQuery} before any work; a bad value is a 400 that names the parameter and echoes it.
 * Blank values count as absent.
 */
final class AuditQueryParameters {

    static final String ADDRESS = "address";
    static final String TOKEN = "token";
    static final String SINCE = "since";
    static final String UNTIL = "until";
    static final String LIMIT = "limit";
    /** A bound on one answer, so that an archive is fetched in pages, not in one unbounded read. */
    static final int MAX_LIMIT = 10_000;

    private AuditQueryParameters() {
    }

    static AuditQuery read(Request request) {
        AuditQuery.Builder query = AuditQuery.builder();
        text(request, ADDRESS).ifPresent(query::address);
        text(request, TOKEN).ifPresent(query::token);
        instant(request, SINCE).ifPresent(query::from);
        instant(request, UNTIL).ifPresent(query::until);
        text(request, LIMIT).ifPresent(limit -> query.limit(limit(limit)));
        return query.build();
    }

    private static Optional<String> text(Request request, String name) {
        return Optional.ofNullable(request.queryParams(name)).filter(v -> !v.isBlank());
    }

    private static int limit(String value) {
        try {
            int limit = Integer.parseInt(value.trim());
            if (limit >= 1 && limit <= MAX_LIMIT) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // answered below, like a number out of range
        }
        throw RouteErrors.badRequest("'%s' must be a number from 1 to %d, got '%s'", LIMIT, MAX_LIMIT, value);
    }

    private static Optional<Instant> instant(Request request, String name) {
        return text(request, name).map(value -> {
            try {
                return Instant.parse(value.trim());
            } catch (DateTimeParseException e) {
                throw RouteErrors.badRequest("'%s' must be an ISO-8601 instant such as 2026-11-28T00:00:00Z, got '%s'",
                        name, value);
            }
        });
    }
}
