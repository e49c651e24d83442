package dev.acmesmime.acme;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A profile's domain pattern: a domain ({@code example.org}, that domain only) or a wildcard
 * ({@code *.example.org}, every domain below it, not {@code example.org} itself).
 */
final class DomainPattern {
    private static final Pattern DOMAIN = Pattern.compile(
            "[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*");

    private DomainPattern() {
    }

    /** The pattern in lower case, or empty when it is not a domain or {@code *.}domain. */
    static Optional<String> normalise(String pattern) {
        String p = pattern.trim().toLowerCase(Locale.ROOT);
        String domain = p.startsWith("*.") ? p.substring(2) : p;
        return DOMAIN.matcher(domain).matches() ? Optional.of(p) : Optional.empty();
    }

    static boolean matches(String pattern, String domain) {
        return pattern.startsWith("*.") ? domain.endsWith(pattern.substring(1)) : domain.equals(pattern);
    }

    /** How specific a pattern is: an exact domain beats any wildcard, a longer wildcard a shorter one. */
    static int specificity(String pattern) {
        return pattern.startsWith("*.") ? pattern.length() : Integer.MAX_VALUE;
    }
}
