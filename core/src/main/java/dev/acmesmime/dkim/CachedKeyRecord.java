package dev.acmesmime.dkim;

import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Pattern;

import org.apache.james.jdkim.api.PublicKeyRecord;

/**
 * jDKIM's key record as its selector returned it, shared by every mail signed with the same
 * records: what jDKIM derives from the record text on each call (the decoded key, the
 * {@code g=} pattern, the {@code h=}, {@code k=} and {@code t=} lists) is derived once by jDKIM
 * and kept. A derivation that fails is not kept and fails with jDKIM's message each time.
 * Safe for concurrent use: each value is immutable and published through a volatile field.
 */
final class CachedKeyRecord implements PublicKeyRecord {
    /** Stands for jDKIM's {@code null} (any hash): an instance of its own, unlike any list jDKIM returns. */
    private static final List<CharSequence> ANY_HASH = Collections.unmodifiableList(new ArrayList<>(0));
    private final PublicKeyRecord record;
    private volatile PublicKey publicKey;
    private volatile Pattern granularity;
    private volatile List<CharSequence> hashMethods;
    private volatile List<CharSequence> keyTypes;
    private volatile List<CharSequence> flags;

    CachedKeyRecord(PublicKeyRecord record) {
        this.record = record;
    }

    @Override
    public PublicKey getPublicKey() {
        PublicKey k = publicKey;
        if (k == null) {
            k = record.getPublicKey();
            publicKey = k;
        }
        return k;
    }

    @Override
    public void validate() {
        record.validate();
    }

    @Override
    public boolean isHashMethodSupported(CharSequence hash) {
        List<CharSequence> hashes = getAcceptableHashMethods();
        return hashes == null || containsIgnoreCase(hashes, hash);
    }

    @Override
    public boolean isKeyTypeSupported(CharSequence type) {
        return containsIgnoreCase(getAcceptableKeyTypes(), type);
    }

    /** As jDKIM's {@code TagValue.isInListCaseInsensitive}. */
    private static boolean containsIgnoreCase(List<CharSequence> list, CharSequence value) {
        String v = value.toString();
        for (CharSequence c : list) {
            if (v.equalsIgnoreCase(c.toString())) {
                return true;
            }
        }
        return false;
    }

    @Override
    public List<CharSequence> getAcceptableHashMethods() {
        List<CharSequence> h = hashMethods;
        if (h == null) {
            List<CharSequence> computed = record.getAcceptableHashMethods();
            h = computed == null ? ANY_HASH : List.copyOf(computed);
            hashMethods = h;
        }
        return h == ANY_HASH ? null : h;
    }

    @Override
    public List<CharSequence> getAcceptableKeyTypes() {
        List<CharSequence> k = keyTypes;
        if (k == null) {
            k = List.copyOf(record.getAcceptableKeyTypes());
            keyTypes = k;
        }
        return k;
    }

    @Override
    public Pattern getGranularityPattern() {
        Pattern g = granularity;
        if (g == null) {
            g = record.getGranularityPattern();
            granularity = g;
        }
        return g;
    }

    @Override
    public List<CharSequence> getFlags() {
        List<CharSequence> f = flags;
        if (f == null) {
            f = List.copyOf(record.getFlags());
            flags = f;
        }
        return f;
    }

    @Override
    public boolean isTesting() {
        return getFlags().contains("y");
    }

    @Override
    public boolean isDenySubdomains() {
        return getFlags().contains("s");
    }
}
