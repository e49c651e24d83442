package dev.acmesmime.rfc8823;

import java.security.SecureRandom;
import java.util.Objects;

/**
 * Generates token-part1 for a challenge (CA role, RFC 8823 §3 step 4, C1–C3, B3–B5).
 * <p>
 * {@value #RANDOM_BYTES} random octets give 264 bits of entropy (C2 requires 128) and encode to
 * {@value #LENGTH} base64url characters with no padding. A multiple of 3 octets means the string
 * and byte readings of the token concatenation agree (X1, X2, interop.md §2.1), so every client
 * computes the same digest.
 */
public final class TokenPart1 {

    /** Octets of randomness in a generated token-part1. */
    public static final int RANDOM_BYTES = 33;
    /** Length in characters of a generated token-part1. */
    public static final int LENGTH = 44;
    /** The minimum decoded length RFC 8823 §3.1 item 1 allows (128 bits, C4). */
    public static final int MIN_DECODED_BYTES = 16;

    private TokenPart1() {
    }

    /** A fresh token-part1 from the given CSPRNG; use one per authorization (C1, B3, B6). */
    public static String generate(SecureRandom random) {
        byte[] b = new byte[RANDOM_BYTES];
        Objects.requireNonNull(random, "random").nextBytes(b);
        return Base64Url.encode(b);
    }

    /**
     * C4 for a token-part1 given on its own, not in a Subject (the ACME server telling the CA role
     * about a challenge it sent): base64url (padding allowed, X1) and at least 128 bits once decoded.
     *
     * @return a failed {@link FailureCode#SUBJECT_SYNTAX} check when it is not base64url, otherwise
     *         {@link #lengthCheck}
     */
    public static Check check(String token) {
        byte[] bytes = token == null || token.isEmpty() ? null : Base64Url.decode(token);
        if (bytes == null) {
            return Check.fail(FailureCode.SUBJECT_SYNTAX, "token-part1 " + Untrusted.quote(String.valueOf(token))
                    + " is not base64url (C4)");
        }
        return lengthCheck(bytes);
    }

    /** C4, C2: the decoded token-part1 has at least {@value #MIN_DECODED_BYTES} octets (128 bits). */
    static Check lengthCheck(byte[] decoded) {
        if (decoded.length < MIN_DECODED_BYTES) {
            return Check.fail(FailureCode.TOKEN_TOO_SHORT, "token-part1 decodes to " + decoded.length
                    + " octets (" + decoded.length * 8 + " bits); at least 128 bits are required (C4)");
        }
        return Check.pass(FailureCode.TOKEN_TOO_SHORT, decoded.length * 8 + " bits");
    }

    /** A fresh token-part1 from a new {@link SecureRandom}. */
    public static String generate() {
        return generate(new SecureRandom());
    }
}
