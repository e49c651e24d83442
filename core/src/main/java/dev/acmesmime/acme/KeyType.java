package dev.acmesmime.acme;

import java.security.PublicKey;
import java.security.interfaces.ECKey;
import java.security.interfaces.RSAKey;

/**
 * The certificate key a profile generates for each mailbox ({@code enrolment.profile.<name>.keyType}).
 * The CSR is signed with SHA-256 (RSA, P-256) or SHA-384 (P-384).
 */
public enum KeyType {
    RSA_2048("RSA", 2048, "SHA256withRSA"),
    RSA_3072("RSA", 3072, "SHA256withRSA"),
    EC_P256("EC", 256, "SHA256withECDSA"),
    EC_P384("EC", 384, "SHA384withECDSA");

    private final String algorithm;
    private final int size;
    private final String signatureAlgorithm;

    KeyType(String algorithm, int size, String signatureAlgorithm) {
        this.algorithm = algorithm;
        this.size = size;
        this.signatureAlgorithm = signatureAlgorithm;
    }

    /** The type of {@code key}; an {@link IllegalArgumentException} for keys of other sizes or algorithms. */
    public static KeyType of(PublicKey key) {
        int bits = key instanceof RSAKey ? ((RSAKey) key).getModulus().bitLength()
                : key instanceof ECKey ? ((ECKey) key).getParams().getCurve().getField().getFieldSize() : 0;
        String algorithm = key instanceof RSAKey ? "RSA" : "EC";
        for (KeyType t : values()) {
            if (t.algorithm.equals(algorithm) && t.size == bits) {
                return t;
            }
        }
        throw new IllegalArgumentException("not an RSA 2048/3072 or EC P-256/P-384 key: " + key.getAlgorithm()
                + " " + bits + " bits");
    }

    /** The JCA key algorithm, {@code RSA} or {@code EC}. */
    public String algorithm() {
        return algorithm;
    }

    /** The modulus length in bits (RSA) or the field size of the curve (EC). */
    public int size() {
        return size;
    }

    /** The JCA signature algorithm for the CSR. */
    public String signatureAlgorithm() {
        return signatureAlgorithm;
    }

    public boolean isRsa() {
        return algorithm.equals("RSA");
    }

    /** The standard curve name for EC types (JCA {@code ECGenParameterSpec}). */
    String curve() {
        return size == 256 ? "secp256r1" : "secp384r1";
    }
}
