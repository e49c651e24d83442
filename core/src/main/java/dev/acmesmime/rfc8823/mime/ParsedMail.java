package dev.acmesmime.rfc8823.mime;

import java.util.ArrayList;
import java.util.List;

/**
 * The parts of a message the RFC 8823 rules look at, read by {@link MailParser}. Internal to the
 * engine, not API.
 *
 * @param headers     the top-level header fields in order
 * @param topMimeType the top-level media type, lower case ({@code text/plain} when absent, RFC 2045 §5.2)
 * @param textParts   text/plain parts eligible for the response block (R8), in order
 * @param partTypes   media types of every leaf part, in order, for details
 */
public record ParsedMail(List<HeaderField> headers, String topMimeType, List<TextPart> textParts,
                         List<String> partTypes) {

    public ParsedMail {
        headers = List.copyOf(headers);
        textParts = List.copyOf(textParts);
        partTypes = List.copyOf(partTypes);
    }

    /** All fields with this name (case-insensitive), in order. */
    public List<HeaderField> all(String name) {
        String key = HeaderField.nameKey(name);
        List<HeaderField> out = null;
        for (HeaderField f : headers) {
            if (f.nameKey().equals(key)) {
                if (out == null) {
                    out = new ArrayList<>(1);
                }
                out.add(f);
            }
        }
        return out == null ? List.of() : out;
    }

    /** The first field body with this name, or {@code null}. */
    public String first(String name) {
        List<HeaderField> all = all(name);
        return all.isEmpty() ? null : all.get(0).value();
    }
}
