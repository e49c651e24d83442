package dev.acmesmime.james.webadmin;

/**
 * The {@code limit} query parameter of the plugin's listing routes: absent means the route's
 * default, anything but a whole number from 1 to the route's maximum is 400 naming it.
 */
final class PageLimit {

    static final String LIMIT = "limit";

    private PageLimit() {
    }

    /** @param value the parameter as sent, or {@code null} when absent */
    static int read(String value, int defaultLimit, int max) {
        if (value == null) {
            return defaultLimit;
        }
        int limit;
        try {
            limit = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            limit = -1;
        }
        if (limit < 1 || limit > max) {
            throw RouteErrors.badRequest("'%s' must be between 1 and %d", LIMIT, max);
        }
        return limit;
    }
}
