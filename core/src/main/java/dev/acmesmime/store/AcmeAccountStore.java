package dev.acmesmime.store;

import java.util.Optional;

/** One ACME account per CA profile, its key sealed at rest. */
public interface AcmeAccountStore {

    Optional<AcmeAccount> find(String profile);

    /**
     * Creates or replaces the account of {@code account.profile()}; {@link AcmeAccount#createdAt()}
     * is kept from the first save.
     *
     * @return what was stored, with its times set from the store's clock
     */
    AcmeAccount save(AcmeAccount account);

    /** @return {@code false} if there was none */
    boolean delete(String profile);
}
