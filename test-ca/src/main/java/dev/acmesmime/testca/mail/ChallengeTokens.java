package dev.acmesmime.testca.mail;

import dev.acmesmime.rfc8823.TokenPart1;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Objects;

/**
 * Token parts for a new challenge. token-part1 comes from core ({@code TokenPart1}: 264 bits, a whole
 * number of 3-byte groups, so both concatenation readings agree); with {@code fault.oddTokenLength}
 * it has a partial last group instead, so that a client using the byte reading (X2) computes a
 * different digest from the string reading RFC 8555 prescribes. token-part2 is 128+ bits too (C2).
 * <p>
 * Both are unpadded base64url: token-part2 travels in ACME JSON, which forbids padding (A5), and the
 * odd token-part1 is unpadded too so that only the byte-group length differs from the default.
 */
public final class ChallengeTokens {

    /**
     * Octets of an odd-length token-part1: 256 bits (C2 asks for 128), and 32 is not a multiple of 3,
     * so its 43 base64url characters end in a partial group (X1, X2).
     */
    public static final int ODD_TOKEN_PART1_BYTES = 32;
    /** Octets of token-part2: 128 bits, the SHOULD of RFC 8823 §3 and SBR §3.2.2.4 (B5, X15). */
    public static final int TOKEN_PART2_BYTES = 16;

    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    private ChallengeTokens() {
    }

    /** A fresh token-part1; {@code oddLength} is the {@code fault.oddTokenLength} fault. */
    public static String tokenPart1(SecureRandom random, boolean oddLength) {
        Objects.requireNonNull(random, "random");
        return oddLength ? randomText(random, ODD_TOKEN_PART1_BYTES) : TokenPart1.generate(random);
    }

    /** A fresh token-part2, the challenge object's {@code token}. */
    public static String tokenPart2(SecureRandom random) {
        return randomText(Objects.requireNonNull(random, "random"), TOKEN_PART2_BYTES);
    }

    private static String randomText(SecureRandom random, int bytes) {
        byte[] b = new byte[bytes];
        random.nextBytes(b);
        return BASE64URL.encodeToString(b);
    }
}
