package dev.acmesmime.enrolment;

import java.net.URI;
import java.security.KeyPair;
import java.util.Optional;

import dev.acmesmime.acme.AccountKeys;
import dev.acmesmime.acme.CaProfile;
import dev.acmesmime.store.AcmeAccount;
import dev.acmesmime.store.AcmeAccountStore;

/**
 * The profiles' ACME account keys in the store, sealed at rest (one account per profile). A stored account
 * of another directory is not used: a profile pointed at another CA needs a new account there.
 */
public final class StoreAccountKeys implements AccountKeys {
    private final AcmeAccountStore accounts;

    public StoreAccountKeys(AcmeAccountStore accounts) {
        this.accounts = accounts;
    }

    @Override
    public Optional<KeyPair> load(CaProfile profile) {
        return accounts.find(profile.name()).filter(a -> a.directory().equals(profile.directory()))
                .map(a -> KeyCodec.decode(a.accountKey()));
    }

    @Override
    public void save(CaProfile profile, KeyPair key, Optional<URI> accountUrl) {
        accounts.save(AcmeAccount.of(profile.name(), profile.directory(), KeyCodec.encode(key))
                .withAccountUrl(accountUrl.orElse(null)));
    }
}
