package dev.acmesmime.store;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;

/**
 * Seals secrets for storage with AES-256-GCM under the {@link MasterKey}.
 * <p>
 * Stored layout: {@code format(1)=1 | keyId(4) | iv(12) | ciphertext+tag(n+16)}. The IV is random
 * per value (a 96-bit random IV keeps the GCM collision bound far beyond this store's volume). The
 * additional authenticated data names the table, column and row key, so a sealed value copied into
 * another row or column fails to open instead of handing one mailbox's key to another.
 */
final class SecretCipher {
    static final byte FORMAT = 1;
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final int HEADER = 1 + 4 + IV_BYTES;

    private final MasterKey key;
    private final SecureRandom random = new SecureRandom();

    SecretCipher(MasterKey key) {
        this.key = key;
    }

    /** The AAD that binds a value to its place: {@code table|column|rowKey}. */
    static byte[] aad(String table, String column, String rowKey) {
        return (table + "|" + column + "|" + rowKey).getBytes(StandardCharsets.UTF_8);
    }

    byte[] seal(byte[] plain, byte[] aad) {
        byte[] iv = new byte[IV_BYTES];
        random.nextBytes(iv);
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, key.secretKey(), new GCMParameterSpec(TAG_BITS, iv));
            c.updateAAD(aad);
            byte[] ct = c.doFinal(plain);
            return ByteBuffer.allocate(HEADER + ct.length).put(FORMAT).putInt(key.keyId()).put(iv).put(ct).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is mandatory in every JRE", e);
        }
    }

    /**
     * @throws SealedValueException when the value was sealed under another key, was moved to another
     *         row, or was altered
     */
    byte[] open(byte[] sealed, byte[] aad) throws SealedValueException {
        if (sealed.length < HEADER + TAG_BITS / 8 || sealed[0] != FORMAT) {
            throw new SealedValueException("not a sealed value of format " + FORMAT);
        }
        ByteBuffer buf = ByteBuffer.wrap(sealed);
        buf.get();
        int keyId = buf.getInt();
        if (keyId != key.keyId()) {
            throw new SealedValueException(String.format("sealed under master key id %08x, the configured key has id %s",
                    keyId, key.keyIdHex()));
        }
        byte[] iv = new byte[IV_BYTES];
        buf.get(iv);
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, key.secretKey(), new GCMParameterSpec(TAG_BITS, iv));
            c.updateAAD(aad);
            return c.doFinal(sealed, HEADER, sealed.length - HEADER);
        } catch (AEADBadTagException e) {
            throw new SealedValueException("authentication tag mismatch (wrong key, moved or altered value)");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is mandatory in every JRE", e);
        }
    }

    /** A sealed value cannot be opened with the configured key. */
    static final class SealedValueException extends Exception {
        private static final long serialVersionUID = 1L;

        SealedValueException(String message) {
            super(message);
        }
    }
}
