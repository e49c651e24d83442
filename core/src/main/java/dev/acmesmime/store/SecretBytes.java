package dev.acmesmime.store;

import java.security.MessageDigest;
import java.util.Arrays;

/**
 * Secret bytes (a PKCS#8 private key, for instance) that never show up in logs: {@link #toString()}
 * gives only the length. The store encrypts them at rest; {@link #bytes()} returns a copy.
 */
public final class SecretBytes {
    private final byte[] value;

    private SecretBytes(byte[] value) {
        this.value = value;
    }

    /** Copies {@code value}; the caller may wipe its own array afterwards. */
    public static SecretBytes of(byte[] value) {
        return new SecretBytes(value.clone());
    }

    /** A copy of the secret. */
    public byte[] bytes() {
        return value.clone();
    }

    public int length() {
        return value.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SecretBytes other && MessageDigest.isEqual(value, other.value);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return "SecretBytes[" + value.length + " bytes, redacted]";
    }
}
