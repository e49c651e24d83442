package dev.acmesmime.rfc8823;

import java.util.Base64;
import java.util.regex.Pattern;

/** base64url (RFC 4648 §5) helpers shared by the token and digest rules. */
final class Base64Url {

    /** The URL-safe alphabet with optional {@code =} padding (padding allowed, X1). */
    private static final Pattern SYNTAX = Pattern.compile("[A-Za-z0-9_-]+={0,2}");

    private Base64Url() {
    }

    /**
     * Decodes base64url with or without padding; {@code null} when the text is not base64url
     * (wrong alphabet, misplaced or wrong amount of padding, impossible length).
     */
    static byte[] decode(String text) {
        if (text == null || !SYNTAX.matcher(text).matches()) {
            return null;
        }
        int pad = text.endsWith("==") ? 2 : text.endsWith("=") ? 1 : 0;
        if (pad > 0 && text.length() % 4 != 0) {
            return null;
        }
        int dataLength = text.length() - pad;
        if (dataLength % 4 == 1 || (pad > 0 && (4 - dataLength % 4) % 4 != pad)) {
            return null;
        }
        try {
            return Base64.getUrlDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    static String encode(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
