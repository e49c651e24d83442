package dev.acmesmime.rfc8823;

import java.util.Optional;

/**
 * The rules for the three values a key authorization is made of when they are given on their own
 * (the CLI's {@code acme-smime digest}), not read from a mail: token-part1 and token-part2 are
 * base64url (padding allowed, X1) of at least 128 bits each (C2, C4, B5, X15), and the account
 * thumbprint is the unpadded base64url of a SHA-256 value, 43 characters (RFC 7638, TV1). A value
 * that breaks them gives a digest no CA will ever compute, so it is refused with a code instead.
 */
public final class KeyAuthorizationInputs {

    /** Length of an unpadded base64url SHA-256 value: the JWK thumbprint of RFC 7638 with SHA-256. */
    public static final int THUMBPRINT_LENGTH = 43;
    private static final int SHA256_BYTES = 32;

    /** A token part is not base64url. */
    public static final StableCode TOKEN_SYNTAX = new StableCode("token-syntax", "C4, A5, X1");
    /** A token part decodes to fewer than 128 bits. */
    public static final StableCode TOKEN_TOO_SHORT = new StableCode("token-too-short", "C2, C4, B5, X15");
    /** The thumbprint is not 43 base64url characters (a SHA-256 value, unpadded). */
    public static final StableCode THUMBPRINT_SYNTAX = new StableCode("thumbprint-syntax", "TV1");

    /** A refused value: its code and a one-line reason naming the value (never quoting more than it). */
    public record Problem(StableCode code, String reason) {
    }

    private KeyAuthorizationInputs() {
    }

    /** The first rule the three values break, in the order given, or empty when they make a key authorization. */
    public static Optional<Problem> problem(String tokenPart1, String tokenPart2, String thumbprint) {
        Optional<Problem> p = token("token-part1", tokenPart1);
        if (p.isEmpty()) {
            p = token("token-part2", tokenPart2);
        }
        return p.isPresent() ? p : thumbprint(thumbprint);
    }

    private static Optional<Problem> token(String name, String value) {
        byte[] bytes = value == null || value.isEmpty() ? null : Base64Url.decode(value);
        if (bytes == null) {
            return Optional.of(new Problem(TOKEN_SYNTAX, name + " " + Untrusted.quote(String.valueOf(value))
                    + " is not base64url (C4, A5)"));
        }
        if (bytes.length < TokenPart1.MIN_DECODED_BYTES) {
            return Optional.of(new Problem(TOKEN_TOO_SHORT, name + " decodes to " + bytes.length + " octets ("
                    + bytes.length * 8 + " bits); at least 128 bits are required (C2, B5)"));
        }
        return Optional.empty();
    }

    private static Optional<Problem> thumbprint(String value) {
        byte[] bytes = value == null || value.length() != THUMBPRINT_LENGTH ? null : Base64Url.decode(value);
        if (bytes == null || bytes.length != SHA256_BYTES) {
            return Optional.of(new Problem(THUMBPRINT_SYNTAX, "account thumbprint "
                    + Untrusted.quote(String.valueOf(value)) + " is not " + THUMBPRINT_LENGTH
                    + " base64url characters (the unpadded SHA-256 JWK thumbprint, RFC 7638)"));
        }
        return Optional.empty();
    }
}
