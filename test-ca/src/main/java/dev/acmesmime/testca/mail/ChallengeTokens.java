package dev.acmesmime.testca.mail;

import java.security.SecureRandom;

/**
 * Token parts for a new challenge. token-part1 comes from core ({@code TokenPart1}: 264 bits, a whole
 * number of 3-byte groups, so both concatenation readings agree); with {@code fault.oddTokenLength}
 * it has a partial last group instead, so that a client using the byte reading (X2) computes a
 * different digest from the string reading RFC 8555 prescribes. token-part2 is 128+ bits too (C2).
 */
public final class ChallengeTokens {
    private ChallengeTokens() {
    }

    public static String tokenPart1(SecureRandom random, boolean oddLength) {
        throw new UnsupportedOperationException("not yet built");
    }

    public static String tokenPart2(SecureRandom random) {
        throw new UnsupportedOperationException("not yet built");
    }
}
