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

    /** A fresh token-part1 from a new {@link SecureRandom}. */
    public static String generate() {
        return generate(new SecureRandom());
    }
}
