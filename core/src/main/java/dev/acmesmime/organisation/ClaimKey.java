package dev.acmesmime.organisation;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

import dev.acmesmime.store.RecordLimits;

/** How a challenge mail's Message-ID and token-part1 become the claim's key (C22). */
final class ClaimKey {
    private ClaimKey() {
    }

    /**
     * The value itself, or a digest of it when it would not fit the claim table's column. Not
     * {@link RecordLimits#shorten}: a claim is a key, and two long Message-IDs cut to one prefix would
     * make the second challenge look answered already (C22); a digest keeps them apart.
     */
    static String of(String value, int max) {
        String v = value == null ? "" : value;
        if (v.length() <= max) {
            return v;
        }
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(v.getBytes(StandardCharsets.UTF_8));
            return "sha256:" + Base64.getUrlEncoder().withoutPadding().encodeToString(h);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
