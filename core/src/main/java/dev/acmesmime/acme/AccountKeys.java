package dev.acmesmime.acme;

import java.net.URI;
import java.security.KeyPair;
import java.util.Optional;

/**
 * Where a profile's account key lives between runs; the engine backs it with the store, which keeps the
 * private key sealed.
 * <p>
 * {@link AcmeCaClient} saves a new key <em>before</em> asking the CA for the account (with no URL yet), so
 * that a crash between the two finds the account again with the same key instead of making a second one;
 * it saves again with the account URL once the CA has answered, and each time it finds the account at
 * start. {@link #save} must therefore be idempotent.
 */
public interface AccountKeys {
    /**
     * The profile's stored account key, if any. An implementation returns empty when the stored account
     * belongs to another directory than {@link CaProfile#directory()}: a profile pointed at another CA
     * needs a new account.
     */
    Optional<KeyPair> load(CaProfile profile);

    /**
     * Stores the profile's account key, with the account URL once the CA has given one.
     *
     * @param accountUrl empty while the account is not yet created at the CA
     */
    void save(CaProfile profile, KeyPair key, Optional<URI> accountUrl);
}
