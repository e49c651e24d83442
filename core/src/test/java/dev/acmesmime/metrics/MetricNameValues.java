package dev.acmesmime.metrics;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Map;
import java.util.TreeMap;

/**
 * Every constant of {@link MetricNames} by field name, read reflectively so that a constant added
 * later is covered by the dashboard and documentation tests without editing them.
 */
public final class MetricNameValues {
    private MetricNameValues() {
    }

    /** Field name to metric name, every public static String constant. */
    public static Map<String, String> all() {
        Map<String, String> names = new TreeMap<>();
        for (Field f : MetricNames.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
                try {
                    names.put(f.getName(), (String) f.get(null));
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return names;
    }

    /** A metric name as James's WebAdmin {@code /metrics} prints it: {@code .} and {@code -} become {@code _}. */
    public static String prometheus(String name) {
        return name.replace('.', '_').replace('-', '_');
    }
}
