package dev.acmesmime.dkim;

import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.Arrays;
import java.util.List;

import dev.acmesmime.rfc8823.StableCode;

/**
 * Whether the DKIM key record published at {@code SELECTOR._domainkey.DOMAIN} matches a signing key:
 * what an admin checks after publishing the record of a new key, before James signs with it (a
 * response signed with a key whose record is missing or different fails the CA's check D11). The
 * record is looked up with {@link DkimKeyResolver}, the lookup James does, and read as verifiers read
 * it (jDKIM's parser, with RFC 8463 Ed25519 keys).
 */
public final class DkimKeyRecordCheck {

    /** A record is published and its key is the signing key's public half. */
    public static final StableCode OK = new StableCode("dkim-record-ok", "D8");
    /** No TXT record at the name (NXDOMAIN, or no TXT record). */
    public static final StableCode NO_RECORD = new StableCode("dkim-record-missing", "D8, D11");
    /** A TXT record is there but is no usable key record (bad tags, revoked key, undecodable p=). */
    public static final StableCode MALFORMED = new StableCode("dkim-record-malformed", "D11");
    /** A usable key record whose key is not the signing key's. */
    public static final StableCode MISMATCH = new StableCode("dkim-record-mismatch", "D11");
    /** The lookup failed for now (timeout, SERVFAIL): nothing is known yet. */
    public static final StableCode TEMPERROR = new StableCode("dkim-temperror", "D16");

    /** The outcome and one line saying what was found (never key material beyond the public record). */
    public record Result(StableCode code, String detail) {
        public boolean ok() {
            return code.equals(OK);
        }
    }

    private DkimKeyRecordCheck() {
    }

    /** Looks the record up and compares it with the public half of {@code signingKey}. */
    public static Result check(DkimKeyResolver resolver, String selector, String domain, PrivateKey signingKey) {
        PublicKey expected = DkimKeys.publicKeyOf(signingKey);
        DkimKeyResolver.Lookup lookup = resolver.lookup(selector, domain);
        return switch (lookup.status()) {
            case TEMPFAIL -> new Result(TEMPERROR, lookup.detail());
            case NO_KEY -> new Result(NO_RECORD, lookup.detail());
            case FOUND -> compare(lookup.records(), expected, lookup.detail());
        };
    }

    private static Result compare(List<String> records, PublicKey expected, String where) {
        String problem = "no record";
        for (String record : records) {
            PublicKey published;
            try {
                DnsKeyRecord r = new DnsKeyRecord(record);
                r.validate();
                published = r.getPublicKey();
            } catch (IllegalStateException | IllegalArgumentException e) {
                problem = e.getMessage();
                continue;
            }
            if (Arrays.equals(published.getEncoded(), expected.getEncoded())) {
                return new Result(OK, where + ": the published key is the signing key's ("
                        + (DkimKeys.isEd25519(expected) ? "Ed25519" : "RSA") + ")");
            }
            return new Result(MISMATCH, where + ": the published key is not the signing key's; publish "
                    + DkimKeys.keyRecord(expected));
        }
        return new Result(MALFORMED, where + ": no usable key record (" + problem + ")");
    }
}
