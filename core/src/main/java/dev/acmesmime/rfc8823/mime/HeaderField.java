package dev.acmesmime.rfc8823.mime;

import java.util.Locale;

/**
 * One top-level header field: its name as written and its body unfolded (RFC 5322 §2.2.3),
 * still undecoded (encoded words are kept). Internal to the engine, not API.
 *
 * @param name  the field name as written
 * @param value the field body with CR and LF removed, leading and trailing whitespace trimmed
 */
public record HeaderField(String name, String value) {

    public String lowerName() {
        return name.toLowerCase(Locale.ROOT);
    }
}
