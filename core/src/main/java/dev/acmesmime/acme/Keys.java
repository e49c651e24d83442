package dev.acmesmime.acme;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;

/** Fresh key pairs: certificate keys per {@link KeyType}, and the account key. */
public final class Keys {
    /** Account keys are P-256 (ES256), which every ACME server accepts. */
    public static final KeyType ACCOUNT_KEY_TYPE = KeyType.EC_P256;

    private static final SecureRandom RANDOM = new SecureRandom();

    private Keys() {
    }

    /** A new key pair of {@code type}. */
    public static KeyPair generate(KeyType type) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(type.algorithm());
            if (type.isRsa()) {
                generator.initialize(type.size(), RANDOM);
            } else {
                generator.initialize(new ECGenParameterSpec(type.curve()), RANDOM);
            }
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK cannot generate a " + type + " key", e);
        }
    }

    /** A new account key. */
    public static KeyPair account() {
        return generate(ACCOUNT_KEY_TYPE);
    }
}
