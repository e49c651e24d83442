package dev.acmesmime.testca.client;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;

/** Account and certificate keys by JWS algorithm name. */
public final class Keys {
    private Keys() {
    }

    /** A fresh key pair for {@code ES256}, {@code ES384} or {@code RS256}. */
    public static KeyPair forAlgorithm(String jwsAlgorithm) {
        try {
            switch (jwsAlgorithm) {
                case "ES256":
                    return ec("secp256r1");
                case "ES384":
                    return ec("secp384r1");
                case "RS256":
                    KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
                    rsa.initialize(2048);
                    return rsa.generateKeyPair();
                default:
                    throw new IllegalArgumentException("no key for " + jwsAlgorithm);
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static KeyPair ec256() {
        return forAlgorithm("ES256");
    }

    private static KeyPair ec(String curve) throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec(curve));
        return g.generateKeyPair();
    }
}
