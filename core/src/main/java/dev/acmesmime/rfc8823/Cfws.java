package dev.acmesmime.rfc8823;

/** RFC 5322 §3.2.2 CFWS (folding white space and nested comments with quoted-pairs), for the field lexers. */
final class Cfws {
    /** What {@link #skip} returns for a comment that never closes. */
    static final int UNTERMINATED_COMMENT = -1;

    private Cfws() {
    }

    /**
     * @return the index of the first character after the CFWS that starts at {@code pos}, or
     *         {@link #UNTERMINATED_COMMENT}
     */
    static int skip(String s, int pos) {
        while (pos < s.length()) {
            char c = s.charAt(pos);
            if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
                pos++;
            } else if (c == '(') {
                int depth = 0;
                do {
                    if (pos >= s.length()) {
                        return UNTERMINATED_COMMENT;
                    }
                    char d = s.charAt(pos++);
                    if (d == '\\') {
                        pos++;
                    } else if (d == '(') {
                        depth++;
                    } else if (d == ')') {
                        depth--;
                    }
                } while (depth > 0);
            } else {
                return pos;
            }
        }
        return Math.min(pos, s.length());
    }
}
