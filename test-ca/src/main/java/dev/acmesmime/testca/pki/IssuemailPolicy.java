package dev.acmesmime.testca.pki;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import org.xbill.DNS.CAARecord;

/**
 * The decision on the relevant CAA RRset (RFC 8659 §3, RFC 9495 §3): with no {@code issuemail} property the
 * domain does not restrict S/MIME issuance; with some, one of them must name {@code identity} as its
 * issuer-domain-name (case-insensitive, parameters after {@code ;} ignored); {@code issuemail ";"} names no
 * one. A property this check does not know, flagged critical, forbids issuance (RFC 8659 §4.1).
 */
final class IssuemailPolicy {
    private static final int CRITICAL = 128;
    private static final Set<String> KNOWN = Set.of("issue", "issuewild", "iodef", "issuemail", "issuevmc",
            "contactemail", "contactphone");

    private IssuemailPolicy() {
    }

    /** Empty when allowed; otherwise why not. {@code owner} is the name the RRset was found at. */
    static Optional<String> refusal(List<CAARecord> rrset, String owner, String identity) {
        for (CAARecord r : rrset) {
            String tag = r.getTag().toLowerCase(Locale.ROOT);
            if ((r.getFlags() & CRITICAL) != 0 && !KNOWN.contains(tag)) {
                return Optional.of("CAA at " + owner + " has an unknown critical property " + r.getTag());
            }
        }
        List<String> issuers = rrset.stream().filter(r -> r.getTag().equalsIgnoreCase("issuemail"))
                .map(r -> issuer(r.getValue())).toList();
        if (issuers.isEmpty() || issuers.stream().anyMatch(identity::equalsIgnoreCase)) {
            return Optional.empty();
        }
        return Optional.of("CAA issuemail at " + owner + " does not authorize " + identity);
    }

    /** The issuer-domain-name: what precedes the first {@code ;}, trimmed (empty for {@code ";"}). */
    private static String issuer(String value) {
        int semicolon = value.indexOf(';');
        return (semicolon < 0 ? value : value.substring(0, semicolon)).strip();
    }
}
