package dev.acmesmime.acme;

import java.net.URI;
import java.security.KeyPair;
import java.util.Optional;

/**
 * Where a profile's account key lives between runs; the engine backs it with the store, which keeps the
 * private key encrypted. {@link AcmeCaClient} generates the key on first use and saves it with the
 * account URL once the CA has accepted it.
 */
public interface AccountKeys {
    /** The profile's stored account key, if any. */
    Optional<KeyPair> load(CaProfile profile);

    /** Stores the profile's account key and the account URL the CA gave it. */
    void save(CaProfile profile, KeyPair key, URI accountUrl);
}
