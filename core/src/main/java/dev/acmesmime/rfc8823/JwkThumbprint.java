package dev.acmesmime.rfc8823;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.EdECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Arrays;
import java.util.Objects;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * RFC 7638 JWK thumbprint of an ACME account public key, the second half of the key
 * authorization (RFC 8555 §8.1, RFC 8823 §3 step 6).
 * <p>
 * The hash input is the JSON object of the required members only, in lexicographic order, with
 * no whitespace (RFC 7638 §3.2, §3.3):
 * <ul>
 *   <li>RSA: {@code {"e":…,"kty":"RSA","n":…}}, integers as unsigned big-endian without leading
 *       zero octets (RFC 7518 §6.3.1);</li>
 *   <li>EC: {@code {"crv":…,"kty":"EC","x":…,"y":…}}, coordinates as full-length octet strings of
 *       the curve size (RFC 7518 §6.2.1.2); P-256, P-384 and P-521;</li>
 *   <li>OKP: {@code {"crv":…,"kty":"OKP","x":…}} with the RFC 8032 §5.1.2 public key encoding
 *       (RFC 8037 §2); Ed25519 and Ed448.</li>
 * </ul>
 * Test vector TV1 (RFC 7638 §3.1) gives {@code NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs}.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7638#section-3">RFC 7638 §3</a>
 */
public final class JwkThumbprint {

    private static final ObjectMapper JSON = new ObjectMapper();

    private JwkThumbprint() {
    }

    /**
     * The base64url (no padding) SHA-256 thumbprint of an RSA, EC or EdDSA public key.
     *
     * @throws IllegalArgumentException for another key type or an unsupported curve
     */
    public static String of(PublicKey key) {
        return Base64Url.encode(sha256(canonicalJson(key)));
    }

    /**
     * The base64url (no padding) SHA-256 thumbprint of a public JWK given as JSON (RSA, EC or OKP).
     * Members other than the required ones ({@code alg}, {@code kid}, …) are ignored.
     *
     * @throws IllegalArgumentException when the JSON is no JWK of a supported type
     */
    public static String ofJwk(String jwkJson) {
        return Base64Url.encode(sha256(canonicalJson(jwkJson)));
    }

    /** The RFC 7638 §3.3 hash input for a key. */
    public static String canonicalJson(PublicKey key) {
        Objects.requireNonNull(key, "key");
        if (key instanceof RSAPublicKey rsa) {
            return rsaJson(unsigned(rsa.getPublicExponent()), unsigned(rsa.getModulus()));
        }
        if (key instanceof ECPublicKey ec) {
            int bits = ec.getParams().getCurve().getField().getFieldSize();
            String crv = switch (bits) {
                case 256 -> "P-256";
                case 384 -> "P-384";
                case 521 -> "P-521";
                default -> throw new IllegalArgumentException("unsupported EC curve of " + bits + " bits");
            };
            int len = (bits + 7) / 8;
            return ecJson(crv, fixed(ec.getW().getAffineX(), len), fixed(ec.getW().getAffineY(), len));
        }
        if (key instanceof EdECPublicKey ed) {
            String crv = ed.getParams().getName();
            int len = switch (crv) {
                case "Ed25519" -> 32;
                case "Ed448" -> 57;
                default -> throw new IllegalArgumentException("unsupported EdDSA curve " + crv);
            };
            // RFC 8032 §5.1.2: y little-endian, the sign of x in the top bit of the last octet
            byte[] bigEndian = fixed(ed.getPoint().getY(), len);
            byte[] x = new byte[len];
            for (int i = 0; i < len; i++) {
                x[i] = bigEndian[len - 1 - i];
            }
            if (ed.getPoint().isXOdd()) {
                x[len - 1] |= (byte) 0x80;
            }
            return "{\"crv\":\"" + crv + "\",\"kty\":\"OKP\",\"x\":\"" + Base64Url.encode(x) + "\"}";
        }
        throw new IllegalArgumentException("unsupported key type " + key.getAlgorithm());
    }

    /** The RFC 7638 §3.3 hash input for a JWK given as JSON. */
    public static String canonicalJson(String jwkJson) {
        JsonNode jwk;
        try {
            jwk = JSON.readTree(Objects.requireNonNull(jwkJson, "jwkJson"));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("JWK is not JSON: " + e.getOriginalMessage());
        }
        if (jwk == null || !jwk.isObject()) {
            throw new IllegalArgumentException("JWK is not a JSON object");
        }
        String kty = member(jwk, "kty");
        switch (kty) {
            case "RSA":
                // re-encode so a non-minimal encoding with leading zero octets hashes like the key itself
                return rsaJson(stripZeros(decode(jwk, "e")), stripZeros(decode(jwk, "n")));
            case "EC":
                return ecJson(member(jwk, "crv"), decode(jwk, "x"), decode(jwk, "y"));
            case "OKP":
                return "{\"crv\":\"" + escape(member(jwk, "crv")) + "\",\"kty\":\"OKP\",\"x\":\""
                        + Base64Url.encode(decode(jwk, "x")) + "\"}";
            default:
                throw new IllegalArgumentException("unsupported JWK kty " + Untrusted.quote(kty));
        }
    }

    private static String rsaJson(byte[] e, byte[] n) {
        return "{\"e\":\"" + Base64Url.encode(e) + "\",\"kty\":\"RSA\",\"n\":\"" + Base64Url.encode(n) + "\"}";
    }

    private static String ecJson(String crv, byte[] x, byte[] y) {
        return "{\"crv\":\"" + escape(crv) + "\",\"kty\":\"EC\",\"x\":\"" + Base64Url.encode(x)
                + "\",\"y\":\"" + Base64Url.encode(y) + "\"}";
    }

    private static String member(JsonNode jwk, String name) {
        JsonNode v = jwk.get(name);
        if (v == null || !v.isTextual()) {
            throw new IllegalArgumentException("JWK lacks the string member \"" + name + "\"");
        }
        return v.asText();
    }

    private static byte[] decode(JsonNode jwk, String name) {
        byte[] b = Base64Url.decode(member(jwk, name));
        if (b == null || b.length == 0) {
            throw new IllegalArgumentException("JWK member \"" + name + "\" is not base64url");
        }
        return b;
    }

    private static String escape(String s) {
        // curve names are plain ASCII identifiers; refuse anything that would need JSON escaping
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x21 || c > 0x7e || c == '"' || c == '\\') {
                throw new IllegalArgumentException("unsupported JWK crv " + Untrusted.quote(s));
            }
        }
        return s;
    }

    private static byte[] unsigned(BigInteger i) {
        return stripZeros(i.toByteArray());
    }

    private static byte[] stripZeros(byte[] b) {
        int i = 0;
        while (i < b.length - 1 && b[i] == 0) {
            i++;
        }
        return Arrays.copyOfRange(b, i, b.length);
    }

    private static byte[] fixed(BigInteger i, int len) {
        byte[] b = stripZeros(i.toByteArray());
        if (b.length > len) {
            throw new IllegalArgumentException("EC coordinate longer than the curve");
        }
        byte[] out = new byte[len];
        System.arraycopy(b, 0, out, len - b.length, b.length);
        return out;
    }

    static byte[] sha256(String ascii) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(ascii.getBytes(StandardCharsets.US_ASCII));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is mandatory in every JRE", e);
        }
    }
}
