package dev.acmesmime.ca.forward;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import dev.acmesmime.store.SecretBytes;

/**
 * The HMAC-SHA256 signatures of the forward contracts, for the sender and for receivers (tests, CA
 * servers).
 * <p>
 * <b>Native</b>: {@value #SIGNATURE_HEADER}{@code : sha256=<hex>} where the MAC is over the ASCII
 * text of {@value #TIMESTAMP_HEADER} (Unix seconds), one {@code "."} and the body bytes, under the
 * secret named by {@value #KEY_ID_HEADER}. Signing the timestamp lets the receiver refuse old
 * requests ({@link NativeSignatureVerifier}).
 * <p>
 * <b>Akāmu</b>: {@value #AKAMU_HEADER}{@code : sha256=<hex>} over the body alone.
 */
public final class Hmac {
    public static final String KEY_ID_HEADER = "X-Acme-Smime-Key-Id";
    public static final String TIMESTAMP_HEADER = "X-Acme-Smime-Timestamp";
    public static final String SIGNATURE_HEADER = "X-Acme-Smime-Signature";
    public static final String AKAMU_HEADER = "X-Akamu-Signature";
    /** Prefix of both signature header values. */
    public static final String PREFIX = "sha256=";

    private Hmac() {
    }

    /** {@code sha256=<hex>} over {@code timestamp "." body}. */
    public static String nativeSignature(SecretBytes secret, long timestampSeconds, byte[] body) {
        byte[] ts = (timestampSeconds + ".").getBytes(StandardCharsets.US_ASCII);
        return PREFIX + HexFormat.of().formatHex(mac(secret, ts, body));
    }

    /** {@code sha256=<hex>} over the body. */
    public static String akamuSignature(SecretBytes secret, byte[] body) {
        return PREFIX + HexFormat.of().formatHex(mac(secret, new byte[0], body));
    }

    /** Constant-time comparison of two header values. */
    public static boolean matches(String expected, String received) {
        if (received == null) {
            return false;
        }
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                received.trim().toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII));
    }

    private static byte[] mac(SecretBytes secret, byte[] prefix, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            byte[] key = secret.bytes();
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            Arrays.fill(key, (byte) 0);
            mac.update(prefix);
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
