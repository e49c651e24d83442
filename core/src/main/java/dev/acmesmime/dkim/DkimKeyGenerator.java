package dev.acmesmime.dkim;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.util.Base64;
import java.util.Locale;

/**
 * Makes a new DKIM signing key in the form the organisation role reads from its key folder
 * ({@code dkimKeyDirectory}, see {@code DkimKeyDirectory}): unencrypted PEM PKCS#8, RSA of
 * {@value DkimSigner#MIN_KEY_BITS} bits or Ed25519 (RFC 8463). The key is never logged; the PEM text
 * is for the caller to write to a file only its owner can read.
 */
public final class DkimKeyGenerator {

    /** The key types offered: what the signer accepts, RSA at its minimum size. */
    public enum KeyType {
        RSA2048("rsa2048"),
        ED25519("ed25519");

        private final String option;

        KeyType(String option) {
            this.option = option;
        }

        /** The command-line spelling, e.g. {@code rsa2048}. */
        public String option() {
            return option;
        }

        /** The type spelled {@code option} (case-insensitive). */
        public static KeyType parse(String option) {
            for (KeyType t : values()) {
                if (t.option.equals(option.toLowerCase(Locale.ROOT))) {
                    return t;
                }
            }
            throw new IllegalArgumentException("--key-type takes rsa2048 or ed25519, not " + option);
        }
    }

    private DkimKeyGenerator() {
    }

    /** A fresh key pair from the JDK's default CSPRNG. */
    public static KeyPair generate(KeyType type) {
        try {
            if (type == KeyType.ED25519) {
                return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            }
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(DkimSigner.MIN_KEY_BITS);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(type.option() + " keys are not available in this JDK", e);
        }
    }

    /** {@code -----BEGIN PRIVATE KEY-----}: PKCS#8 (RFC 5208) in base64 lines of 64 characters. */
    public static String pkcs8Pem(PrivateKey key) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(key.getEncoded());
        return "-----BEGIN PRIVATE KEY-----\n" + body + "\n-----END PRIVATE KEY-----\n";
    }
}
