package dev.acmesmime.dkim;

import java.util.List;
import java.util.Objects;

import dev.acmesmime.rfc8823.Check;
import dev.acmesmime.rfc8823.FailureCode;

/**
 * What {@link DkimPolicyVerifier} found for one DKIM-Signature field: its identity, the facts an
 * evidence record needs (checklist B15–B18: {@code d=}, {@code s=}, {@code a=}, key size,
 * {@code h=}) and every check that ran on it.
 *
 * @param domain       {@code d=} as written (empty if the field could not be read)
 * @param selector     {@code s=} as written (empty if the field could not be read)
 * @param algorithm    {@code a=} as written, lower case
 * @param keyBits      the key size in bits (the RSA modulus; 256 for Ed25519), or 0 when no key was obtained
 * @param signedFields {@code h=} as written
 * @param checks       the checks, cryptography first
 */
public record SignatureResult(String domain, String selector, String algorithm, int keyBits,
                              List<String> signedFields, List<Check> checks) {

    public SignatureResult {
        Objects.requireNonNull(domain, "domain");
        Objects.requireNonNull(selector, "selector");
        Objects.requireNonNull(algorithm, "algorithm");
        signedFields = List.copyOf(signedFields);
        checks = List.copyOf(checks);
    }

    /**
     * {@code true} when this signature alone makes the mail authentic: it verified
     * cryptographically and every policy check passed.
     */
    public boolean acceptable() {
        return checks.stream().allMatch(Check::ok)
                && checks.stream().anyMatch(c -> c.ok() && c.code() == FailureCode.DKIM_INVALID);
    }

    /** {@code true} when the only failure is a temporary key-lookup error (D16): retrying may succeed. */
    public boolean retryable() {
        List<Check> failed = checks.stream().filter(c -> !c.ok()).toList();
        return !failed.isEmpty() && failed.stream().allMatch(c -> c.code() == FailureCode.DKIM_TEMPERROR);
    }

    int rank() {
        if (acceptable()) {
            return 0;
        }
        if (retryable()) {
            return 1;
        }
        return 2 + (int) checks.stream().filter(c -> !c.ok()).count();
    }
}
