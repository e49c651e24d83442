package dev.acmesmime.acme;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the typed values of one profile's settings; each bad value becomes a {@link CaProfileException}
 * naming the full key.
 */
final class ProfileReader {
    private static final Pattern SHORT_DURATION = Pattern.compile("(\\d{1,9})(ms|s|m|h)");

    private final Properties properties;
    private final String prefix;
    private final Path base;

    ProfileReader(Properties properties, String prefix, Path base) {
        this.properties = properties;
        this.prefix = prefix;
        this.base = base;
    }

    String key(String name) {
        return prefix + name;
    }

    Optional<String> optional(String name) {
        String v = properties.getProperty(key(name));
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
    }

    String required(String name) {
        return optional(name).orElseThrow(() -> new CaProfileException(key(name), "is required"));
    }

    /** An absolute https URL. */
    URI httpsUrl(String name) {
        String v = required(name);
        try {
            URI uri = new URI(v);
            if (!"https".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
                throw new CaProfileException(key(name), "must be an https URL (RFC 8555 §6.1), got '" + v + "'");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new CaProfileException(key(name), "not a URL: '" + v + "'");
        }
    }

    /** A readable file; relative paths are resolved against the base folder. */
    Optional<Path> file(String name) {
        Optional<String> v = optional(name);
        if (v.isEmpty()) {
            return Optional.empty();
        }
        Path path;
        try {
            path = base.resolve(v.get()).normalize();
        } catch (InvalidPathException e) {
            throw new CaProfileException(key(name), "not a valid path: " + e.getMessage());
        }
        if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
            throw new CaProfileException(key(name), "no readable file at " + path);
        }
        return Optional.of(path);
    }

    boolean bool(String name, boolean dflt) {
        Optional<String> v = optional(name);
        if (v.isEmpty()) {
            return dflt;
        }
        if (v.get().equalsIgnoreCase("true") || v.get().equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(v.get());
        }
        throw new CaProfileException(key(name), "must be true or false, got '" + v.get() + "'");
    }

    /** An enum constant, case-insensitive, {@code -} read as {@code _} ({@code ec-p256} is {@code EC_P256}). */
    <E extends Enum<E>> E choice(String name, Class<E> type, E dflt) {
        Optional<String> v = optional(name);
        if (v.isEmpty()) {
            return dflt;
        }
        String wanted = v.get().toUpperCase(Locale.ROOT).replace('-', '_');
        for (E e : type.getEnumConstants()) {
            if (e.name().equals(wanted)) {
                return e;
            }
        }
        List<String> allowed = new ArrayList<>();
        for (E e : type.getEnumConstants()) {
            allowed.add(e.name().toLowerCase(Locale.ROOT).replace('_', '-'));
        }
        throw new CaProfileException(key(name), "must be one of " + allowed + ", got '" + v.get() + "'");
    }

    /** {@code 500ms}, {@code 2s}, {@code 5m}, {@code 1h} or ISO-8601 ({@code PT2S}), within [0, max]. */
    Duration duration(String name, Duration dflt, Duration max) {
        Optional<String> v = optional(name);
        if (v.isEmpty()) {
            return dflt;
        }
        Duration d = parseDuration(v.get()).orElseThrow(() -> new CaProfileException(key(name),
                "not a duration (500ms, 2s, 5m, 1h or PT2S): '" + v.get() + "'"));
        if (d.isNegative() || d.compareTo(max) > 0) {
            throw new CaProfileException(key(name), "must be between 0s and " + max.toSeconds() + "s, got " + v.get());
        }
        return d;
    }

    private static Optional<Duration> parseDuration(String v) {
        Matcher m = SHORT_DURATION.matcher(v.toLowerCase(Locale.ROOT));
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            switch (m.group(2)) {
                case "ms":
                    return Optional.of(Duration.ofMillis(n));
                case "s":
                    return Optional.of(Duration.ofSeconds(n));
                case "m":
                    return Optional.of(Duration.ofMinutes(n));
                default:
                    return Optional.of(Duration.ofHours(n));
            }
        }
        try {
            return Optional.of(Duration.parse(v));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** A comma-separated list of domain patterns, at least one. */
    List<String> domains(String name) {
        List<String> patterns = new ArrayList<>();
        for (String part : required(name).split(",")) {
            if (part.isBlank()) {
                continue;
            }
            String p = DomainPattern.normalise(part).orElseThrow(() -> new CaProfileException(key(name),
                    "'" + part.trim() + "' is neither a domain nor *.domain"));
            if (!patterns.contains(p)) {
                patterns.add(p);
            }
        }
        if (patterns.isEmpty()) {
            throw new CaProfileException(key(name), "is required");
        }
        return patterns;
    }
}
