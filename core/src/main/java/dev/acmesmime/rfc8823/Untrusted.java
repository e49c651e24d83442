package dev.acmesmime.rfc8823;

/**
 * Renders values that come from a mail (attacker-controlled) for details and logs:
 * quoted, control characters escaped, truncated. Compare BouncyCastle's {@code UntrustedInput}.
 */
public final class Untrusted {
    /** Longest rendering of one untrusted value, in characters, before it is cut with an ellipsis. */
    public static final int MAX_LENGTH = 120;

    private Untrusted() {
    }

    /** {@code "value"} with control characters and quotes escaped, at most {@value #MAX_LENGTH} characters. */
    public static String quote(String value) {
        if (value == null) {
            return "(none)";
        }
        if (value.length() <= MAX_LENGTH && isPlain(value)) {
            return '"' + value + '"';
        }
        StringBuilder sb = new StringBuilder(Math.min(value.length(), MAX_LENGTH) + 8).append('"');
        int shown = 0;
        for (int i = 0; i < value.length(); i++) {
            if (shown >= MAX_LENGTH) {
                sb.append("...");
                break;
            }
            char c = value.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20 || c == 0x7f) {
                sb.append(String.format("\\x%02x", (int) c));
            } else {
                sb.append(c);
            }
            shown++;
        }
        return sb.append('"').toString();
    }

    /** No character that {@link #quote} would escape. */
    private static boolean isPlain(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c == 0x7f || c == '"' || c == '\\') {
                return false;
            }
        }
        return true;
    }

    /** Folds any line breaks away so a detail stays one line. */
    static String oneLine(String detail) {
        if (detail.indexOf('\n') < 0 && detail.indexOf('\r') < 0) {
            return detail;
        }
        return detail.replace("\r", "\\r").replace("\n", "\\n");
    }
}
