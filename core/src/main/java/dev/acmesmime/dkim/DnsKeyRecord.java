package dev.acmesmime.dkim;

import java.security.PublicKey;

import org.apache.james.jdkim.tagvalue.PublicKeyRecordImpl;

/**
 * jDKIM's key record, which also decodes {@code k=ed25519} keys. jDKIM 0.3 reads every {@code p=}
 * as an X.509 SubjectPublicKeyInfo, but RFC 8463 §4.2 publishes an Ed25519 key as its raw 32
 * octets; everything else (tags, validation, {@code t=}, {@code h=}, {@code k=} lists) stays
 * jDKIM's, so an Ed25519 key passes the same selection and applicability checks as an RSA key.
 */
final class DnsKeyRecord extends PublicKeyRecordImpl {

    DnsKeyRecord(String data) {
        super(data);
    }

    /**
     * The key; for {@code k=ed25519} the raw key of {@code p=} (strict base64, exactly 32 octets).
     *
     * @throws IllegalStateException as jDKIM does for a key it cannot decode
     */
    @Override
    public PublicKey getPublicKey() {
        CharSequence k = getValue("k");
        if (k == null || !DkimKeys.ED25519_KEY_TYPE.equalsIgnoreCase(k.toString().strip())) {
            return super.getPublicKey();
        }
        CharSequence p = getValue("p");
        try {
            return DkimKeys.ed25519PublicKey(p == null ? "" : SignatureTags.withoutFws(p.toString()));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("Invalid key spec: " + e.getMessage(), e);
        }
    }
}
