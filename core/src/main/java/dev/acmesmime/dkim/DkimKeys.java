package dev.acmesmime.dkim;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.interfaces.EdECPrivateKey;
import java.security.interfaces.EdECPublicKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.NamedParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads DKIM signing keys from PEM and renders the matching DNS key record.
 * <p>
 * Accepts unencrypted RSA keys as PKCS#8 ({@code BEGIN PRIVATE KEY}, what {@code openssl genpkey}
 * writes) or PKCS#1 ({@code BEGIN RSA PRIVATE KEY}, what {@code openssl genrsa} and
 * {@code dknewkey} write), and Ed25519 keys (RFC 8463) as PKCS#8
 * ({@code openssl genpkey -algorithm ed25519}). Encrypted keys are refused: the key file's
 * permissions protect it, as for James's own {@code DKIMSign}.
 */
public final class DkimKeys {

    /** The {@code k=} of an Ed25519 key record and the key type of {@code a=ed25519-sha256} (RFC 8463 §4.2). */
    public static final String ED25519_KEY_TYPE = "ed25519";

    /** The DER of an Ed25519 SubjectPublicKeyInfo up to its 32 key octets (RFC 8410 §4). */
    private static final byte[] ED25519_SPKI_PREFIX = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03,
            0x21, 0x00};
    private static final int ED25519_KEY_LENGTH = 32;

    private static final Pattern PEM = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----\\s*(.*?)-----END \\1-----", Pattern.DOTALL);

    private DkimKeys() {
    }

    /** Reads an RSA or Ed25519 private key from a PEM file. */
    public static PrivateKey readPrivateKey(Path pemFile) throws IOException {
        return parsePrivateKey(Files.readString(pemFile, StandardCharsets.US_ASCII));
    }

    /**
     * Parses an RSA or Ed25519 private key from PEM text.
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
            // not RSA: an Ed25519 PKCS#8 key, or neither
        }
        try {
            return KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("PEM block " + type + " is not an RSA or Ed25519 private key");
        }
    }

    /** Whether {@code key} is an Ed25519 key (private or public). */
    public static boolean isEd25519(Key key) {
        if (key instanceof EdECPrivateKey k) {
            return NamedParameterSpec.ED25519.getName().equalsIgnoreCase(k.getParams().getName());
        }
        return key instanceof EdECPublicKey k && NamedParameterSpec.ED25519.getName().equalsIgnoreCase(k.getParams().getName());
    }

    /**
     * The Ed25519 public key of a DNS key record's {@code p=} (RFC 8463 §4.2: base64 of the raw
     * 32-octet key), wrapped into a SubjectPublicKeyInfo for the JDK.
     *
     * @throws IllegalArgumentException when {@code p} is not strict base64 of 32 octets
     */
    public static PublicKey ed25519PublicKey(String p) {
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(p);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("p= is not base64");
        }
        if (raw.length != ED25519_KEY_LENGTH) {
            throw new IllegalArgumentException("an Ed25519 p= has 32 octets, this one " + raw.length);
        }
        byte[] spki = Arrays.copyOf(ED25519_SPKI_PREFIX, ED25519_SPKI_PREFIX.length + ED25519_KEY_LENGTH);
        System.arraycopy(raw, 0, spki, ED25519_SPKI_PREFIX.length, ED25519_KEY_LENGTH);
        try {
            return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spki));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not an Ed25519 public key");
        }
    }

    /** The public half of an RSA private key (needs the CRT form every PEM key has) or of an Ed25519 key. */
    public static PublicKey publicKeyOf(PrivateKey key) {
        if (key instanceof EdECPrivateKey ed && isEd25519(ed)) {
            return ed25519PublicKeyOf(ed);
        }
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
     * The Ed25519 public key of a private key. The JDK has no call for it, but its key pair
     * generator makes the pair from 32 random octets, which for a PKCS#8 key are the key itself
     * (RFC 8032 §5.1.5): given those octets as its randomness, it makes the same pair again.
     */
    private static PublicKey ed25519PublicKeyOf(EdECPrivateKey key) {
        byte[] seed = key.getBytes().orElseThrow(() -> new IllegalArgumentException("the Ed25519 key is not extractable"));
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("Ed25519");
            g.initialize(NamedParameterSpec.ED25519, new FixedSeed(seed));
            return g.generateKeyPair().getPublic();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 is not available", e);
        } finally {
            Arrays.fill(seed, (byte) 0);
        }
    }

    /** Gives the seed it holds as its only random octets. */
    private static final class FixedSeed extends SecureRandom {
        private static final long serialVersionUID = 1L;
        private final byte[] seed;

        FixedSeed(byte[] seed) {
            this.seed = seed.clone();
        }

        @Override
        public void nextBytes(byte[] bytes) {
            System.arraycopy(seed, 0, bytes, 0, Math.min(seed.length, bytes.length));
        }
    }

    /**
     * The DNS TXT record value publishing {@code key} (RFC 6376 §3.6.1): for RSA
     * {@code v=DKIM1; k=rsa; p=<base64 SubjectPublicKeyInfo>}, longer than 255 octets for 2048-bit
     * keys, so it must be published as several strings of one TXT record; for Ed25519
     * {@code v=DKIM1; k=ed25519; p=<base64 of the raw 32-octet key>} (RFC 8463 §4.2).
     */
    public static String keyRecord(PublicKey key) {
        if (isEd25519(key)) {
            return "v=DKIM1; k=" + ED25519_KEY_TYPE + "; p=" + Base64.getEncoder().encodeToString(rawEd25519(key));
        }
        if (!"RSA".equals(key.getAlgorithm())) {
            throw new IllegalArgumentException("not an RSA or Ed25519 key: " + key.getAlgorithm());
        }
        return "v=DKIM1; k=rsa; p=" + Base64.getEncoder().encodeToString(key.getEncoded());
    }

    /** The 32 octets of an Ed25519 public key: its SubjectPublicKeyInfo ends with them (RFC 8410 §4). */
    static byte[] rawEd25519(PublicKey key) {
        byte[] spki = key.getEncoded();
        return Arrays.copyOfRange(spki, spki.length - ED25519_KEY_LENGTH, spki.length);
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
