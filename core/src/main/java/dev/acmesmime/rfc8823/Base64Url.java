package dev.acmesmime.rfc8823;

import java.util.Base64;

/** base64url (RFC 4648 §5) helpers shared by the token and digest rules. */
final class Base64Url {

    private Base64Url() {
    }

    /**
     * Decodes base64url with or without padding; {@code null} when the text is not base64url
     * (wrong alphabet, misplaced or wrong amount of padding, impossible length).
     */
    static byte[] decode(String text) {
        if (text == null || !isSyntax(text)) {
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

    /**
     * The URL-safe alphabet with optional {@code =} padding (padding allowed, X1): what the regex
     * {@code [A-Za-z0-9_-]+={0,2}} matches, as a loop since it runs on every response's digest.
     */
    private static boolean isSyntax(String text) {
        int end = text.length();
        int pad = 0;
        while (end > 0 && text.charAt(end - 1) == '=' && pad < 2) {
            end--;
            pad++;
        }
        if (end == 0) {
            return false;
        }
        for (int i = 0; i < end; i++) {
            char c = text.charAt(i);
            if (!(c >= 'A' && c <= 'Z') && !(c >= 'a' && c <= 'z') && !(c >= '0' && c <= '9') && c != '_' && c != '-') {
                return false;
            }
        }
        return true;
    }

    static String encode(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
