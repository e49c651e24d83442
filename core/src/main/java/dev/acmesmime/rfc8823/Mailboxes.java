package dev.acmesmime.rfc8823;

import java.util.Locale;

/**
 * Mailbox comparison as the inspector does it (X20), for callers outside this package that match
 * a mail's addresses against stored ones: local parts compared exactly, domains ignoring ASCII case.
 */
public final class Mailboxes {

    private Mailboxes() {
    }

    /** {@code true} when both name the same mailbox (X20); {@code false} when either is {@code null}. */
    public static boolean same(String a, String b) {
        return Addresses.sameMailbox(a, b);
    }

    /** The domain part, as written (no case folding); empty when there is no {@code @}. */
    public static String domainOf(String address) {
        return Addresses.domainOf(address);
    }

    /**
     * The form stores key mailboxes by: angle brackets and surrounding blanks removed, the domain
     * in lower case, the local part unchanged (X20), so {@link #same} becomes string equality.
     *
     * @throws IllegalArgumentException when there is no local part or no domain
     */
    public static String normalize(String address) {
        if (address == null) {
            throw new IllegalArgumentException("no address");
        }
        String t = address.strip();
        if (t.startsWith("<") && t.endsWith(">") && t.length() >= 2) {
            t = t.substring(1, t.length() - 1);
        }
        int at = t.lastIndexOf('@');
        if (at <= 0 || at == t.length() - 1) {
            throw new IllegalArgumentException("not a mailbox (local@domain): " + Untrusted.quote(address));
        }
        return t.substring(0, at) + "@" + t.substring(at + 1).toLowerCase(Locale.ROOT);
    }
}
