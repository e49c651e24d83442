package dev.acmesmime.enrolment;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;

/** Reads the typed values of the {@code enrolment.*} settings; a bad value names its full key. */
final class SettingsReader {
    private final Properties properties;

    SettingsReader(Properties properties) {
        this.properties = properties;
    }

    Optional<String> optional(String key) {
        String v = properties.getProperty(key);
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
    }

    boolean bool(String key, boolean dflt) {
        String v = optional(key).orElse(Boolean.toString(dflt)).toLowerCase(Locale.ROOT);
        if (!v.equals("true") && !v.equals("false")) {
            throw new EnrolmentSettingsException(key, "must be true or false, got '" + properties.getProperty(key) + "'");
        }
        return v.equals("true");
    }

    long number(String key, long dflt, long min, long max) {
        Optional<String> v = optional(key);
        if (v.isEmpty()) {
            return dflt;
        }
        long n;
        try {
            n = Long.parseLong(v.get());
        } catch (NumberFormatException e) {
            throw new EnrolmentSettingsException(key, "must be a whole number, got '" + v.get() + "'");
        }
        if (n < min || n > max) {
            throw new EnrolmentSettingsException(key, "must be between " + min + " and " + max + ", got " + n);
        }
        return n;
    }

    double fraction(String key, double dflt, double max) {
        Optional<String> v = optional(key);
        if (v.isEmpty()) {
            return dflt;
        }
        double d;
        try {
            d = Double.parseDouble(v.get());
        } catch (NumberFormatException e) {
            throw new EnrolmentSettingsException(key, "must be a decimal number, got '" + v.get() + "'");
        }
        if (!(d >= 0 && d <= max)) {
            throw new EnrolmentSettingsException(key, "must be between 0 and " + max + ", got " + v.get());
        }
        return d;
    }

    /** A comma-separated list, lower case, blanks dropped; empty when unset. */
    List<String> list(String key) {
        List<String> values = new ArrayList<>();
        for (String part : optional(key).orElse("").split(",")) {
            if (!part.isBlank()) {
                values.add(part.trim().toLowerCase(Locale.ROOT));
            }
        }
        return values;
    }
}
