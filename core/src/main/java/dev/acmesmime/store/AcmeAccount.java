package dev.acmesmime.store;

import java.net.URI;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The ACME account of one CA profile. Its key is sealed at rest under the {@link MasterKey}, bound
 * to the profile. The key is stored before the account is created at the CA, so that a restart
 * between the two finds the account again with the same key instead of making another one.
 *
 * @param profile    the CA profile's name (the key, at most 64 characters)
 * @param directory  the ACME directory the account lives at: a profile pointed at another CA needs a new account
 * @param accountUrl the account URL, once the CA has created the account
 * @param accountKey the account key pair's private key (PKCS#8 DER), never printed
 * @param createdAt  when the key was first stored (set by the store)
 * @param updatedAt  when it was last saved (set by the store)
 */
public record AcmeAccount(String profile, URI directory, Optional<URI> accountUrl, SecretBytes accountKey,
                          Instant createdAt, Instant updatedAt) {

    public AcmeAccount {
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(accountUrl, "accountUrl");
        Objects.requireNonNull(accountKey, "accountKey");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }

    /** A new account of {@code profile}: its key, no URL yet. */
    public static AcmeAccount of(String profile, URI directory, SecretBytes accountKey) {
        return new AcmeAccount(profile, directory, Optional.empty(), accountKey, Instant.EPOCH, Instant.EPOCH);
    }

    public AcmeAccount withAccountUrl(URI url) {
        return new AcmeAccount(profile, directory, Optional.ofNullable(url), accountKey, createdAt, updatedAt);
    }
}
