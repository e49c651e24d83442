package dev.acmesmime.dkim;

import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import org.apache.james.jdkim.api.PublicKeyRecord;

/**
 * jDKIM's key record as its selector returned it, shared by every mail signed with the same
 * records: what jDKIM derives from the record text on each call (the decoded key, the
 * {@code g=} pattern, the {@code h=}, {@code k=} and {@code t=} lists) is derived once by jDKIM
 * and kept. A derivation that fails is not kept and fails with jDKIM's message each time.
 * Safe for concurrent use: each value is immutable and published through a volatile field;
 * two threads may both derive a value first, which is harmless.
 */
final class CachedKeyRecord implements PublicKeyRecord {
    /** Stands for jDKIM's {@code null} (any hash): an instance of its own, unlike any list jDKIM returns. */
    private static final List<CharSequence> ANY_HASH = Collections.unmodifiableList(new ArrayList<>(0));
    private final PublicKeyRecord record;
    private final Once<PublicKey> publicKey = new Once<>();
    private final Once<Pattern> granularity = new Once<>();
    private final Once<List<CharSequence>> hashMethods = new Once<>();
    private final Once<List<CharSequence>> keyTypes = new Once<>();
    private final Once<List<CharSequence>> flags = new Once<>();

    /** A value derived on first use and kept; a derivation that throws is not kept. */
    private static final class Once<T> {
        private volatile T value;

        T get(Supplier<T> derive) {
            T v = value;
            if (v == null) {
                v = derive.get();
                value = v;
            }
            return v;
        }
    }

    CachedKeyRecord(PublicKeyRecord record) {
        this.record = record;
    }

    @Override
    public PublicKey getPublicKey() {
        return publicKey.get(record::getPublicKey);
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
        List<CharSequence> h = hashMethods.get(() -> {
            List<CharSequence> computed = record.getAcceptableHashMethods();
            return computed == null ? ANY_HASH : List.copyOf(computed);
        });
        return h == ANY_HASH ? null : h;
    }

    @Override
    public List<CharSequence> getAcceptableKeyTypes() {
        return keyTypes.get(() -> List.copyOf(record.getAcceptableKeyTypes()));
    }

    @Override
    public Pattern getGranularityPattern() {
        return granularity.get(record::getGranularityPattern);
    }

    @Override
    public List<CharSequence> getFlags() {
        return flags.get(() -> List.copyOf(record.getFlags()));
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
