package dev.acmesmime.ca.forward;

import java.util.List;
import java.util.Objects;

import dev.acmesmime.dkim.SignatureResult;

/**
 * The DKIM facts an evidence record keeps (checklist B15–B18): {@code d=}, {@code s=},
 * {@code a=}, the key size and {@code h=} of the signature that made the mail authentic.
 */
public record DkimEvidence(String domain, String selector, String algorithm, int keyBits, List<String> signedFields) {

    public DkimEvidence {
        Objects.requireNonNull(domain, "domain");
        Objects.requireNonNull(selector, "selector");
        Objects.requireNonNull(algorithm, "algorithm");
        signedFields = List.copyOf(signedFields);
    }

    public static DkimEvidence of(SignatureResult r) {
        return new DkimEvidence(r.domain(), r.selector(), r.algorithm(), r.keyBits(), r.signedFields());
    }
}
