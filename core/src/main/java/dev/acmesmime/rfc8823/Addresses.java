package dev.acmesmime.rfc8823;

import java.net.IDN;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Address-list parsing (RFC 5322 §3.4) and mailbox comparison (checklist X20): the one place
 * where core decides whether two addresses or two domains are the same, used by the message
 * engine, by DKIM alignment (D8, D15) and by the S/MIME signer and header checks (D5).
 * <p>
 * Comparison: the local part exactly (RFC 5321 §2.4 leaves its case to the receiving host), the
 * domain without ASCII case after IDNA conversion to A-labels (RFC 5890), so that
 * {@code b\u00fccher.example} and {@code xn--bcher-kva.example} are one domain.
 * <p>
 * A small strict parser instead of mime4j's JavaCC one, which costs more than the rest of an
 * inspection and reports lexer trouble as an {@link Error}. It accepts display names (atoms,
 * quoted strings, encoded words, the obsolete unquoted dot of RFC 5322 §4.1), comments and
 * groups; it refuses what X20 calls odd forms: quoted local parts, domain literals and source
 * routes.
 */
public final class Addresses {

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
     * The addr-specs of an address-list field body (groups flattened), or an empty list when it
     * does not parse or uses a form X20 refuses (quoted local part, domain literal, source route).
     */
    public static List<String> mailboxes(String fieldBody) {
        Parsed p = parse(fieldBody);
        return p.ok() ? p.mailboxes() : List.of();
    }

    /**
     * X20: {@code true} when both addr-specs name the same mailbox: equal local parts, and the
     * same domain as {@link #sameDomain(String, String)} decides. Angle brackets around either
     * side are ignored; {@code null} or an address without local part or {@code @} matches nothing.
     */
    public static boolean sameMailbox(String a, String b) {
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
        return x.substring(0, ax).equals(y.substring(0, by)) && sameDomain(x.substring(ax + 1), y.substring(by + 1));
    }

    /** {@code true} when both lists are non-empty and hold the same mailboxes in the same order. */
    public static boolean sameMailboxes(List<String> a, List<String> b) {
        if (a.size() != b.size() || a.isEmpty()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (!sameMailbox(a.get(i), b.get(i))) {
                return false;
            }
        }
        return true;
    }

    /**
     * {@code true} when both name the same domain: equal {@link #aLabel A-labels}, or, for a name
     * IDNA rejects, equal ignoring ASCII case.
     */
    public static boolean sameDomain(String a, String b) {
        if (a == null || b == null) {
            return false;
        }
        return normalisedDomain(a).equals(normalisedDomain(b));
    }

    /** The domain of an addr-spec (after the last {@code @}), or {@code ""} when it has none. */
    public static String domainOf(String address) {
        String x = strip(address);
        int at = x.lastIndexOf('@');
        return at < 0 ? "" : x.substring(at + 1);
    }

    /**
     * The domain as a lower-case IDNA A-label string ({@code B\u00dcCHER.example} gives
     * {@code xn--bcher-kva.example}), or empty when it is empty or not a valid IDNA name.
     */
    public static Optional<String> aLabel(String domain) {
        if (domain == null) {
            return Optional.empty();
        }
        Optional<String> known = A_LABELS.get(domain);
        if (known != null) {
            return known;
        }
        Optional<String> result;
        try {
            String a = IDN.toASCII(domain, IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
            result = a.isEmpty() ? Optional.empty() : Optional.of(a);
        } catch (IllegalArgumentException e) {
            result = Optional.empty();
        }
        A_LABELS.put(domain, result);
        return result;
    }

    /**
     * {@link #aLabel} results by input: a mail's few domains are converted several times (From,
     * To, expected addresses, DKIM d=), and IDNA conversion costs more than a map lookup.
     */
    private static final BoundedMemo<String, Optional<String>> A_LABELS = new BoundedMemo<>(1024);

    private static String normalisedDomain(String domain) {
        return aLabel(domain).orElseGet(() -> domain.toLowerCase(Locale.ROOT));
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
            int next = Cfws.skip(s, pos);
            if (next == Cfws.UNTERMINATED_COMMENT) {
                throw new SyntaxError("unterminated comment");
            }
            pos = next;
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
