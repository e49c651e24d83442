package dev.acmesmime.dkim;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads DKIM signing keys from PEM and renders the matching DNS key record.
 * <p>
 * Accepts unencrypted RSA keys as PKCS#8 ({@code BEGIN PRIVATE KEY}, what {@code openssl genpkey}
 * writes) or PKCS#1 ({@code BEGIN RSA PRIVATE KEY}, what {@code openssl genrsa} and
 * {@code dknewkey} write). Encrypted keys are refused: the key file's permissions protect it, as
 * for James's own {@code DKIMSign}.
 */
public final class DkimKeys {

    private static final Pattern PEM = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----\\s*(.*?)-----END \\1-----", Pattern.DOTALL);

    private DkimKeys() {
    }

    /** Reads an RSA private key from a PEM file. */
    public static PrivateKey readPrivateKey(Path pemFile) throws IOException {
        return parsePrivateKey(Files.readString(pemFile, StandardCharsets.US_ASCII));
    }

    /**
     * Parses an RSA private key from PEM text.
     *
     * @throws IllegalArgumentException when the text holds no supported key; the message says why
     *                                  and never contains key material
     */
    public static PrivateKey parsePrivateKey(String pem) {
        Matcher m = PEM.matcher(pem);
        if (!m.find()) {
            throw new IllegalArgumentException("no PEM block found (expected BEGIN PRIVATE KEY or BEGIN RSA PRIVATE KEY)");
        }
        String type = m.group(1);
        String body = m.group(2);
        if (type.contains("ENCRYPTED") || body.contains("Proc-Type: 4,ENCRYPTED")) {
            throw new IllegalArgumentException("encrypted private keys are not supported; store the key unencrypted"
                    + " with restrictive file permissions");
        }
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(body.replaceAll("\\s", ""));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("PEM block " + type + " is not valid base64");
        }
        byte[] pkcs8 = switch (type) {
            case "PRIVATE KEY" -> der;
            case "RSA PRIVATE KEY" -> pkcs1ToPkcs8(der);
            default -> throw new IllegalArgumentException("unsupported PEM block " + type
                    + " (expected PRIVATE KEY or RSA PRIVATE KEY)");
        };
        try {
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("PEM block " + type + " is not an RSA private key");
        }
    }

    /** The public half of an RSA private key (needs the CRT form every PEM key has). */
    public static PublicKey publicKeyOf(PrivateKey key) {
        if (!(key instanceof RSAPrivateCrtKey crt)) {
            throw new IllegalArgumentException("not an RSA CRT private key");
        }
        try {
            return KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(crt.getModulus(), crt.getPublicExponent()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("RSA is not available", e);
        }
    }

    /**
     * The DNS TXT record value publishing {@code key} (RFC 6376 §3.6.1):
     * {@code v=DKIM1; k=rsa; p=<base64 SubjectPublicKeyInfo>}. Longer than 255 octets for 2048-bit
     * keys, so it must be published as several strings of one TXT record.
     */
    public static String keyRecord(PublicKey key) {
        if (!"RSA".equals(key.getAlgorithm())) {
            throw new IllegalArgumentException("not an RSA key: " + key.getAlgorithm());
        }
        return "v=DKIM1; k=rsa; p=" + Base64.getEncoder().encodeToString(key.getEncoded());
    }

    /** Wraps a PKCS#1 RSAPrivateKey in a PKCS#8 PrivateKeyInfo (RFC 5208 §5) with rsaEncryption. */
    private static byte[] pkcs1ToPkcs8(byte[] pkcs1) {
        byte[] algorithm = {0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01,
                0x01, 0x05, 0x00};
        byte[] version = {0x02, 0x01, 0x00};
        ByteArrayOutputStream inner = new ByteArrayOutputStream();
        inner.writeBytes(version);
        inner.writeBytes(algorithm);
        inner.writeBytes(tlv(0x04, pkcs1));
        return tlv(0x30, inner.toByteArray());
    }

    private static byte[] tlv(int tag, byte[] value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(value.length + 6);
        out.write(tag);
        int len = value.length;
        if (len < 0x80) {
            out.write(len);
        } else if (len < 0x100) {
            out.write(0x81);
            out.write(len);
        } else if (len < 0x10000) {
            out.write(0x82);
            out.write(len >> 8);
            out.write(len);
        } else {
            out.write(0x83);
            out.write(len >> 16);
            out.write(len >> 8);
            out.write(len);
        }
        out.writeBytes(value);
        return out.toByteArray();
    }
}
