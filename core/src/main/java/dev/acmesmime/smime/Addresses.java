package dev.acmesmime.smime;

import java.net.IDN;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.apache.james.mime4j.dom.address.AddressList;
import org.apache.james.mime4j.dom.address.Mailbox;
import org.apache.james.mime4j.field.address.LenientAddressParser;

/**
 * Address comparison for D5 and header protection, following the checklist's reading of X20:
 * the local part is compared exactly (RFC 5321 §2.4 leaves its case to the receiving host), the
 * domain case-insensitively and after IDNA conversion to A-labels.
 */
final class Addresses {

    private Addresses() {
    }

    /** {@code true} when both addr-specs name the same mailbox. */
    static boolean same(String a, String b) {
        if (a == null || b == null) {
            return false;
        }
        String x = strip(a);
        String y = strip(b);
        int ax = x.lastIndexOf('@');
        int ay = y.lastIndexOf('@');
        if (ax <= 0 || ay <= 0) {
            return false;
        }
        return x.substring(0, ax).equals(y.substring(0, ay))
                && domain(x.substring(ax + 1)).equals(domain(y.substring(ay + 1)));
    }

    /** {@code true} when both lists hold the same mailboxes in the same order. */
    static boolean sameList(List<String> a, List<String> b) {
        if (a.size() != b.size() || a.isEmpty()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (!same(a.get(i), b.get(i))) {
                return false;
            }
        }
        return true;
    }

    /** The addr-specs of an address header value (groups flattened); empty when nothing parses. */
    static List<String> parseList(String headerValue) {
        List<String> out = new ArrayList<>();
        if (headerValue == null) {
            return out;
        }
        try {
            AddressList list = LenientAddressParser.DEFAULT.parseAddressList(headerValue);
            for (Mailbox m : list.flatten()) {
                if (m.getLocalPart() != null && !m.getLocalPart().isEmpty() && m.getDomain() != null) {
                    out.add(m.getAddress());
                }
            }
        } catch (RuntimeException e) {
            out.clear();
        }
        return out;
    }

    private static String strip(String s) {
        String t = s.trim();
        if (t.startsWith("<") && t.endsWith(">")) {
            t = t.substring(1, t.length() - 1).trim();
        }
        return t;
    }

    private static String domain(String d) {
        String lower = d.toLowerCase(Locale.ROOT);
        try {
            return IDN.toASCII(lower, IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            return lower;
        }
    }
}
