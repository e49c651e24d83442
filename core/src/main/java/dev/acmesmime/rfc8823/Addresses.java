package dev.acmesmime.rfc8823;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Address-list parsing (RFC 5322 §3.4) and mailbox comparison (X20). Internal.
 * <p>
 * A small strict parser instead of mime4j's JavaCC one, which costs more than the rest of an
 * inspection and reports lexer trouble as an {@link Error}. It accepts display names (atoms,
 * quoted strings, encoded words, the obsolete unquoted dot of RFC 5322 §4.1), comments and
 * groups; it refuses what X20 calls odd forms: quoted local parts, domain literals and source
 * routes.
 */
final class Addresses {

    private Addresses() {
    }

    /**
     * A parsed address list.
     *
     * @param mailboxes the addr-specs of all mailboxes, group members included, in order
     * @param groups    how many groups the list contained
     * @param error     why the list did not parse, or {@code null}
     */
    record Parsed(List<String> mailboxes, int groups, String error) {
        boolean ok() {
            return error == null;
        }
    }

    static Parsed parse(String fieldBody) {
        if (fieldBody == null || fieldBody.isBlank()) {
            return new Parsed(List.of(), 0, "empty");
        }
        ListParser p = new ListParser(fieldBody);
        try {
            return p.list();
        } catch (SyntaxError e) {
            return new Parsed(List.of(), 0, e.getMessage());
        }
    }

    /**
     * X20: the same mailbox when the local parts are equal exactly and the domains equal ignoring
     * ASCII case. Angle brackets around either side are ignored.
     */
    static boolean sameMailbox(String a, String b) {
        if (a == null || b == null) {
            return false;
        }
        String x = strip(a);
        String y = strip(b);
        int ax = x.lastIndexOf('@');
        int by = y.lastIndexOf('@');
        if (ax <= 0 || by <= 0) {
            return false;
        }
        return x.substring(0, ax).equals(y.substring(0, by))
                && x.substring(ax + 1).toLowerCase(Locale.ROOT).equals(y.substring(by + 1).toLowerCase(Locale.ROOT));
    }

    static String domainOf(String address) {
        String x = strip(address);
        int at = x.lastIndexOf('@');
        return at < 0 ? "" : x.substring(at + 1);
    }

    private static String strip(String s) {
        String t = s.strip();
        if (t.startsWith("<") && t.endsWith(">") && t.length() >= 2) {
            t = t.substring(1, t.length() - 1);
        }
        return t;
    }

    private static final class SyntaxError extends Exception {
        SyntaxError(String message) {
            super(message, null, false, false);
        }
    }

    private static final class ListParser {
        private final String s;
        private int pos;

        ListParser(String s) {
            this.s = s;
        }

        Parsed list() throws SyntaxError {
            List<String> out = new ArrayList<>(2);
            int groups = 0;
            while (true) {
                skipCfws();
                if (atEnd()) {
                    break;
                }
                if (peek() == ',') {
                    // obs-addr-list (RFC 5322 §4.4): empty list elements are allowed and ignored
                    pos++;
                    continue;
                }
                if (address(out, true)) {
                    groups++;
                }
                skipCfws();
                if (atEnd()) {
                    break;
                }
                expect(',');
            }
            if (out.isEmpty()) {
                throw new SyntaxError("no mailbox");
            }
            return new Parsed(List.copyOf(out), groups, null);
        }

        /** Reads a mailbox, or a group when allowed; returns {@code true} for a group. */
        private boolean address(List<String> out, boolean groupAllowed) throws SyntaxError {
            int start = pos;
            boolean phrase = false;
            while (true) {
                skipCfws();
                if (atEnd()) {
                    break;
                }
                char c = peek();
                if (c == '"') {
                    quotedString();
                } else if (atext(c)) {
                    atom();
                } else if (c == '.') {
                    pos++;
                } else {
                    break;
                }
                phrase = true;
            }
            if (atEnd()) {
                throw new SyntaxError("no '@' in address");
            }
            char c = peek();
            if (c == '<') {
                pos++;
                skipCfws();
                if (!atEnd() && peek() == '@') {
                    throw new SyntaxError("source routes are not accepted (X20)");
                }
                out.add(addrSpec());
                skipCfws();
                expect('>');
                return false;
            }
            if (c == ':' && groupAllowed) {
                if (!phrase) {
                    throw new SyntaxError("group without a name");
                }
                pos++;
                while (true) {
                    skipCfws();
                    if (atEnd()) {
                        throw new SyntaxError("group without ';'");
                    }
                    if (peek() == ';') {
                        pos++;
                        return true;
                    }
                    if (peek() == ',') {
                        pos++;
                        continue;
                    }
                    address(out, false);
                }
            }
            if (c == '@') {
                pos = start;
                out.add(addrSpec());
                return false;
            }
            throw new SyntaxError("unexpected " + Untrusted.quote(String.valueOf(c)) + " at position " + pos);
        }

        private String addrSpec() throws SyntaxError {
            skipCfws();
            if (!atEnd() && peek() == '"') {
                throw new SyntaxError("quoted local parts are not accepted (X20)");
            }
            String local = dotAtom("local part");
            skipCfws();
            expect('@');
            skipCfws();
            if (!atEnd() && peek() == '[') {
                throw new SyntaxError("domain literals are not accepted (X20)");
            }
            String domain = dotAtom("domain");
            skipCfws();
            return local + "@" + domain;
        }

        private String dotAtom(String what) throws SyntaxError {
            int start = pos;
            while (true) {
                int atomStart = pos;
                atom();
                if (pos == atomStart) {
                    throw new SyntaxError("empty or malformed " + what + " at position " + pos);
                }
                if (!atEnd() && peek() == '.') {
                    pos++;
                } else {
                    return s.substring(start, pos);
                }
            }
        }

        private void atom() {
            while (!atEnd() && atext(peek())) {
                pos++;
            }
        }

        private void quotedString() throws SyntaxError {
            pos++;
            while (true) {
                if (atEnd()) {
                    throw new SyntaxError("unterminated quoted string");
                }
                char c = s.charAt(pos++);
                if (c == '"') {
                    return;
                }
                if (c == '\\') {
                    pos++;
                }
            }
        }

        /** RFC 5322 §3.2.2 CFWS with nested comments. */
        private void skipCfws() throws SyntaxError {
            while (!atEnd()) {
                char c = peek();
                if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
                    pos++;
                } else if (c == '(') {
                    int depth = 0;
                    do {
                        if (atEnd()) {
                            throw new SyntaxError("unterminated comment");
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
                    return;
                }
            }
        }

        private void expect(char c) throws SyntaxError {
            if (atEnd() || peek() != c) {
                throw new SyntaxError("expected '" + c + "' at position " + pos);
            }
            pos++;
        }

        private boolean atEnd() {
            return pos >= s.length();
        }

        private char peek() {
            return s.charAt(pos);
        }

        /** RFC 5322 §3.2.3 atext, plus non-ASCII (RFC 6532 §3.2). */
        private static boolean atext(char c) {
            if (c >= 0x80) {
                return true;
            }
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
                return true;
            }
            return "!#$%&'*+-/=?^_`{|}~".indexOf(c) >= 0;
        }
    }
}
