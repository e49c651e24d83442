package dev.acmesmime.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Set;

import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The key that encrypts private keys and other secrets in the store (AES-256-GCM). It lives in a
 * file outside the database, so a database dump or backup alone reveals no secret.
 * <p>
 * File format: the 32 key bytes in base64 on one line. The file is created with owner-only
 * permissions ({@code rw-------}); a file others can read is used but logged as a warning.
 * <p>
 * Each key has a {@link #keyId() key id} derived from it by a one-way hash. It is stored with every
 * encrypted value, so a later key rotation can tell which key sealed which value, and the store can
 * tell at start-up that the configured key is not the one that sealed the data.
 */
public final class MasterKey {
    private static final Logger LOGGER = LoggerFactory.getLogger(MasterKey.class);
    /** AES-256. */
    public static final int KEY_BYTES = 32;
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private final byte[] key;
    private final int keyId;

    private MasterKey(byte[] key) {
        this.key = key.clone();
        this.keyId = deriveKeyId(key);
    }

    /**
     * Creates a new random master key in {@code file}, with owner-only permissions.
     * This is what the admin command {@code acme-smime store create-master-key} calls; for a
     * cluster, run it once and copy the file to every node.
     *
     * @throws StoreConfigurationException naming {@value StoreSettings#MASTER_KEY_FILE} if the
     *         file exists already (a key is never overwritten) or cannot be written
     */
    public static MasterKey create(Path file) {
        byte[] bytes = new byte[KEY_BYTES];
        new SecureRandom().nextBytes(bytes);
        byte[] text = (Base64.getEncoder().encodeToString(bytes) + "\n").getBytes(StandardCharsets.US_ASCII);
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            } catch (UnsupportedOperationException notPosix) {
                Files.createFile(file);
            }
            Files.write(file, text);
        } catch (FileAlreadyExistsException e) {
            throw new StoreConfigurationException(StoreSettings.MASTER_KEY_FILE,
                    "refusing to overwrite the existing master key file " + file, e);
        } catch (IOException e) {
            throw new StoreConfigurationException(StoreSettings.MASTER_KEY_FILE,
                    "cannot create the master key file " + file + ": " + e, e);
        }
        MasterKey created = new MasterKey(bytes);
        Arrays.fill(bytes, (byte) 0);
        LOGGER.info("Created master key file {} (key id {})", file, created.keyIdHex());
        return created;
    }

    /**
     * Reads the master key from {@code file}.
     *
     * @throws StoreConfigurationException naming {@value StoreSettings#MASTER_KEY_FILE} if the
     *         file is missing, unreadable or does not hold 32 base64-encoded bytes
     */
    public static MasterKey load(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII).trim();
        } catch (NoSuchFileException e) {
            throw new StoreConfigurationException(StoreSettings.MASTER_KEY_FILE,
                    "the master key file " + file + " does not exist", e);
        } catch (IOException e) {
            throw new StoreConfigurationException(StoreSettings.MASTER_KEY_FILE,
                    "cannot read the master key file " + file + ": " + e, e);
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new StoreConfigurationException(StoreSettings.MASTER_KEY_FILE,
                    "the master key file " + file + " is not base64", e);
        }
        if (bytes.length != KEY_BYTES) {
            throw new StoreConfigurationException(StoreSettings.MASTER_KEY_FILE,
                    "the master key file " + file + " must hold " + KEY_BYTES + " bytes in base64, it holds "
                            + bytes.length);
        }
        warnIfOthersCanRead(file);
        MasterKey loaded = new MasterKey(bytes);
        Arrays.fill(bytes, (byte) 0);
        return loaded;
    }

    /** Loads {@code file}, or creates it when {@code mayCreate} and it does not exist. */
    static MasterKey loadOrCreate(Path file, boolean mayCreate) {
        if (mayCreate && !Files.exists(file)) {
            try {
                return create(file);
            } catch (StoreConfigurationException raced) {
                if (!Files.exists(file)) {
                    throw raced;
                }
            }
        }
        return load(file);
    }

    /** A one-way identifier of this key, stored beside every value it encrypts. */
    public int keyId() {
        return keyId;
    }

    public String keyIdHex() {
        return String.format("%08x", keyId);
    }

    SecretKey secretKey() {
        return new SecretKeySpec(key, "AES");
    }

    @Override
    public String toString() {
        return "MasterKey[id=" + keyIdHex() + "]";
    }

    private static int deriveKeyId(byte[] key) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update("acme-smime master key id\0".getBytes(StandardCharsets.US_ASCII));
            return ByteBuffer.wrap(sha.digest(key)).getInt();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is mandatory in every JRE", e);
        }
    }

    private static void warnIfOthersCanRead(Path file) {
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
            if (perms.contains(PosixFilePermission.GROUP_READ) || perms.contains(PosixFilePermission.OTHERS_READ)) {
                LOGGER.warn("{}: the master key file {} is readable by others ({}); restrict it to the James user"
                        + " (chmod 600)", StoreSettings.MASTER_KEY_FILE, file, PosixFilePermissions.toString(perms));
            }
        } catch (UnsupportedOperationException | IOException e) {
            // not a POSIX file system: nothing to check
        }
    }
}
