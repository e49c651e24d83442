package dev.acmesmime.rfc8823;

import java.security.MessageDigest;
import java.util.Objects;

/**
 * The RFC 8823 response digest: {@code base64url(SHA-256(keyAuthorization))} with
 * {@code keyAuthorization = token-part1 || token-part2 || "." || thumbprint}
 * (RFC 8823 §3 step 6, RFC 8555 §8.1).
 * <p>
 * {@code ||} is string concatenation of the base64url texts exactly as received, so a padded
 * token-part1 keeps its {@code =} (X1, X2; what acme4j and most CAs do, test vectors TV3 and TV4).
 * The "decode both parts, join the bytes, re-encode" reading of acme_email and acmez is available
 * only as {@link #digestByteConcatenation}, used by the inspector under
 * {@link Leniency#BYTE_CONCATENATION}.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8823#section-3">RFC 8823 §3 step 6</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8555#section-8.1">RFC 8555 §8.1</a>
 */
public final class KeyAuthorization {

    private KeyAuthorization() {
    }

    /**
     * The key authorization string {@code tokenPart1 + tokenPart2 + "." + thumbprint}.
     *
     * @param tokenPart1 token-part1 from the challenge Subject, exactly as received (padding kept)
     * @param tokenPart2 the {@code token} of the ACME challenge object
     * @param thumbprint the base64url RFC 7638 thumbprint of the account key ({@link JwkThumbprint})
     */
    public static String of(String tokenPart1, String tokenPart2, String thumbprint) {
        return ascii(tokenPart1, "tokenPart1") + ascii(tokenPart2, "tokenPart2") + "." + ascii(thumbprint, "thumbprint");
    }

    /** The response digest, base64url without padding (43 characters), with string concatenation. */
    public static String digest(String tokenPart1, String tokenPart2, String thumbprint) {
        return Base64Url.encode(JwkThumbprint.sha256(of(tokenPart1, tokenPart2, thumbprint)));
    }

    /**
     * The digest under the byte-concatenation reading ({@link Leniency#BYTE_CONCATENATION}):
     * {@code token = base64url(decode(tokenPart1) || decode(tokenPart2))} without padding.
     * Equals {@link #digest} whenever token-part1 is unpadded and decodes to a multiple of 3 octets.
     *
     * @throws IllegalArgumentException when a token part is not base64url
     */
    public static String digestByteConcatenation(String tokenPart1, String tokenPart2, String thumbprint) {
        byte[] p1 = Base64Url.decode(ascii(tokenPart1, "tokenPart1"));
        byte[] p2 = Base64Url.decode(ascii(tokenPart2, "tokenPart2"));
        if (p1 == null || p2 == null) {
            throw new IllegalArgumentException("token parts must be base64url");
        }
        byte[] joined = new byte[p1.length + p2.length];
        System.arraycopy(p1, 0, joined, 0, p1.length);
        System.arraycopy(p2, 0, joined, p1.length, p2.length);
        String token = Base64Url.encode(joined);
        return Base64Url.encode(JwkThumbprint.sha256(token + "." + ascii(thumbprint, "thumbprint")));
    }

    /**
     * Compares a received digest with an expected one in constant time over the 32 decoded octets
     * ({@link MessageDigest#isEqual}). Trailing {@code =} padding is accepted on either side (X1).
     *
     * @return {@code false} also when either side is not a base64url SHA-256 value
     */
    public static boolean matches(String receivedDigest, String expectedDigest) {
        byte[] received = Base64Url.decode(receivedDigest);
        byte[] expected = Base64Url.decode(expectedDigest);
        if (received == null || expected == null || expected.length != 32) {
            return false;
        }
        return MessageDigest.isEqual(expected, received);
    }

    private static String ascii(String s, String name) {
        Objects.requireNonNull(s, name);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c <= 0x20 || c >= 0x7f) {
                throw new IllegalArgumentException(name + " must be printable US-ASCII without whitespace");
            }
        }
        return s;
    }
}
