package dev.acmesmime.testing;

import dev.acmesmime.dkim.DkimKeys;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;

/**
 * Keys made for a test run. RSA keys are written as PEM: PKCS#1 (what dkimpy reads) and PKCS#8.
 * Ed25519 keys are written as PKCS#8 PEM, and in {@code pkcs1} as what dkimpy reads instead: the
 * base64 of the 32-octet private key, as {@code dknewkey --ktype ed25519} writes it.
 */
public record TestKeys(KeyPair pair, Path pkcs1, Path pkcs8) {

    /** A fresh RSA key pair, kept in memory only. */
    public static KeyPair rsa(int bits) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(bits);
            return g.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static TestKeys generate(int bits, Path dir, String name) throws IOException {
        KeyPair pair = rsa(bits);
        byte[] pkcs8 = pair.getPrivate().getEncoded();
        Path p8 = dir.resolve(name + ".pkcs8.pem");
        Path p1 = dir.resolve(name + ".pkcs1.pem");
        Files.writeString(p8, pem("PRIVATE KEY", pkcs8), StandardCharsets.US_ASCII);
        Files.writeString(p1, pem("RSA PRIVATE KEY", innerOctetString(pkcs8)), StandardCharsets.US_ASCII);
        return new TestKeys(pair, p1, p8);
    }

    /** A fresh Ed25519 key pair (RFC 8463), written as described above. */
    public static TestKeys generateEd25519(Path dir, String name) throws IOException {
        KeyPair pair;
        try {
            pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        byte[] pkcs8 = pair.getPrivate().getEncoded();
        Path p8 = dir.resolve(name + ".pkcs8.pem");
        Path seed = dir.resolve(name + ".dkimpy.key");
        Files.writeString(p8, pem("PRIVATE KEY", pkcs8), StandardCharsets.US_ASCII);
        // PKCS#8 of Ed25519 (RFC 8410 §7) ends with the OCTET STRING of the 32-octet key
        byte[] raw = Arrays.copyOfRange(pkcs8, pkcs8.length - 32, pkcs8.length);
        Files.writeString(seed, Base64.getEncoder().encodeToString(raw) + "\n", StandardCharsets.US_ASCII);
        return new TestKeys(pair, seed, p8);
    }

    /** The key file dkimpy signs with: PKCS#1 PEM for RSA, the base64 private key for Ed25519. */
    public Path dkimpy() {
        return pkcs1;
    }

    /** The DNS key record value. */
    public String record() {
        return DkimKeys.keyRecord(pair.getPublic());
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    /** The RSAPrivateKey inside a PKCS#8 PrivateKeyInfo: the OCTET STRING after version and algorithm. */
    private static byte[] innerOctetString(byte[] pkcs8) {
        int[] pos = {0};
        header(pkcs8, pos); // outer SEQUENCE
        skip(pkcs8, pos);   // version
        skip(pkcs8, pos);   // AlgorithmIdentifier
        int len = header(pkcs8, pos); // OCTET STRING
        return Arrays.copyOfRange(pkcs8, pos[0], pos[0] + len);
    }

    private static int header(byte[] der, int[] pos) {
        pos[0]++; // tag
        int len = der[pos[0]++] & 0xff;
        if (len >= 0x80) {
            int n = len & 0x7f;
            len = 0;
            for (int i = 0; i < n; i++) {
                len = (len << 8) | (der[pos[0]++] & 0xff);
            }
        }
        return len;
    }

    private static void skip(byte[] der, int[] pos) {
        int len = header(der, pos);
        pos[0] += len;
    }
}
