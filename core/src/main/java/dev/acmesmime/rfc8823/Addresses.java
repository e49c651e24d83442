package dev.acmesmime.rfc8823;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.dom.address.Address;
import org.apache.james.mime4j.dom.address.AddressList;
import org.apache.james.mime4j.dom.address.Group;
import org.apache.james.mime4j.dom.address.Mailbox;
import org.apache.james.mime4j.field.address.DefaultAddressParser;

/**
 * Address-list parsing (RFC 5322 §3.4) and mailbox comparison (X20). Internal.
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
        AddressList list;
        try {
            list = DefaultAddressParser.DEFAULT.parseAddressList(fieldBody, DecodeMonitor.SILENT);
        } catch (Exception | Error e) {
            // the JavaCC parser reports lexer trouble as TokenMgrError (an Error); anything else is a bug
            if (e instanceof Error && !(e instanceof org.apache.james.mime4j.field.address.TokenMgrError)
                    && !(e instanceof StackOverflowError)) {
                throw (Error) e;
            }
            return new Parsed(List.of(), 0, "not an RFC 5322 address list");
        }
        List<String> out = new ArrayList<>(list.size());
        int groups = 0;
        for (Address a : list) {
            if (a instanceof Group g) {
                groups++;
                for (Mailbox m : g.getMailboxes()) {
                    out.add(addrSpec(m));
                }
            } else if (a instanceof Mailbox m) {
                out.add(addrSpec(m));
            }
        }
        for (String m : out) {
            if (m == null) {
                return new Parsed(List.of(), groups, "mailbox without a domain");
            }
        }
        if (out.isEmpty()) {
            return new Parsed(List.of(), groups, "no mailbox");
        }
        return new Parsed(List.copyOf(out), groups, null);
    }

    private static String addrSpec(Mailbox m) {
        if (m.getDomain() == null || m.getDomain().isEmpty() || m.getLocalPart() == null
                || m.getLocalPart().isEmpty()) {
            return null;
        }
        return m.getLocalPart() + "@" + m.getDomain();
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
}
