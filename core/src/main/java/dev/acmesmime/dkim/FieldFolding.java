package dev.acmesmime.dkim;

import java.util.List;

/**
 * Folds the DKIM-Signature fields {@link DkimSigner} writes into lines of at most {@value #LINE}
 * characters where it can (RFC 5322 §2.1.1), at places where folding changes nothing that is
 * signed or verified.
 */
final class FieldFolding {

    private static final int LINE = 76;

    private FieldFolding() {
    }

    /** The h= value, folded after colons; RFC 6376 §3.5 allows FWS there and signs it as written. */
    static String names(List<String> names) {
        StringBuilder sb = new StringBuilder();
        int column = 3;
        for (int i = 0; i < names.size(); i++) {
            String n = names.get(i);
            if (i > 0) {
                sb.append(':');
                column++;
                if (column + n.length() > LINE) {
                    sb.append("\r\n ");
                    column = 1;
                }
            }
            sb.append(n);
            column += n.length();
        }
        return sb.toString();
    }

    /**
     * Folds jDKIM's one-line field: before the space that starts each tag (relaxed header
     * canonicalisation turns the fold back into that space, so the signature still holds) and
     * inside {@code b=}, whose value is left out of the signed data and whose white space is
     * ignored when decoding (RFC 6376 §3.5).
     */
    static String fold(String field) {
        int colon = field.indexOf(':');
        StringBuilder out = new StringBuilder(field.length() + 64).append(field, 0, colon + 1);
        int column = colon + 1;
        for (String spec : field.substring(colon + 1).split(";")) {
            if (spec.isBlank()) {
                continue;
            }
            String text = spec + ";";
            String tag = spec.strip();
            if (tag.startsWith("b=")) {
                String value = tag.substring(2);
                out.append("\r\n b=");
                column = 3;
                for (int i = 0; i < value.length(); i += LINE - 3) {
                    if (i > 0) {
                        out.append("\r\n ");
                        column = 1;
                    }
                    String chunk = value.substring(i, Math.min(value.length(), i + LINE - 3));
                    out.append(chunk);
                    column += chunk.length();
                }
                out.append(';');
                column++;
                continue;
            }
            int firstLine = text.indexOf("\r\n");
            int width = firstLine < 0 ? text.length() : firstLine;
            if (column + width > LINE && column > 1) {
                out.append("\r\n");
                column = 0;
            }
            out.append(text);
            int lastLine = text.lastIndexOf("\r\n");
            column = lastLine < 0 ? column + text.length() : text.length() - lastLine - 2;
        }
        return out.toString();
    }
}
