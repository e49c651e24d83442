package dev.acmesmime.rfc8823.mime;

import java.util.Locale;

/**
 * One top-level header field: its name as written and its body unfolded (RFC 5322 §2.2.3),
 * still undecoded (encoded words are kept). Internal to the engine, not API.
 *
 * @param name      the field name as written
 * @param value     the field body with CR and LF removed, leading and trailing whitespace trimmed
 * @param lowerName the name in lower case ({@link Locale#ROOT})
 * @param nameKey   the name as {@link #nameKey(String)} gives it, for case-insensitive lookups
 */
public record HeaderField(String name, String value, String lowerName, String nameKey) {

    public HeaderField(String name, String value) {
        this(name, value, name.toLowerCase(Locale.ROOT), nameKey(name));
    }

    /**
     * A key under which two names are equal exactly when {@link String#equalsIgnoreCase} says so
     * (for names without surrogate pairs, such as every name the engine looks up):
     * each char as {@code toLowerCase(toUpperCase(c))}, which is what that comparison compares.
     * Computed once per field, so that finding fields by name is plain string equality.
     */
    public static String nameKey(String name) {
        boolean upper = false;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c >= 0x80) {
                return foldedKey(name);
            }
            upper |= c >= 'A' && c <= 'Z';
        }
        return upper ? name.toLowerCase(Locale.ROOT) : name;
    }

    private static String foldedKey(String name) {
        char[] key = new char[name.length()];
        for (int i = 0; i < key.length; i++) {
            key[i] = Character.toLowerCase(Character.toUpperCase(name.charAt(i)));
        }
        return new String(key);
    }
}
