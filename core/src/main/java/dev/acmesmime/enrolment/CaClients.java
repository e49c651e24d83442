package dev.acmesmime.enrolment;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import dev.acmesmime.acme.AcmeCaClient;
import dev.acmesmime.acme.CaClient;
import dev.acmesmime.acme.CaProfile;
import dev.acmesmime.acme.CaProfiles;
import dev.acmesmime.store.AcmeAccountStore;

/** One {@link CaClient} per CA profile, made on first use and kept: each holds its session and account. */
public final class CaClients {
    private final CaProfiles profiles;
    private final Function<CaProfile, CaClient> factory;
    private final Map<String, CaClient> clients = new ConcurrentHashMap<>();

    /** Clients made by {@code factory} (tests wrap or replace the real one). */
    public CaClients(CaProfiles profiles, Function<CaProfile, CaClient> factory) {
        this.profiles = profiles;
        this.factory = factory;
    }

    /** acme4j clients whose account keys live in {@code accounts}. */
    public static CaClients acme(CaProfiles profiles, AcmeAccountStore accounts) {
        StoreAccountKeys keys = new StoreAccountKeys(accounts);
        return new CaClients(profiles, p -> new AcmeCaClient(p, keys));
    }

    /** @throws IllegalArgumentException when no profile has that name (the settings changed) */
    public CaClient of(String profile) {
        return clients.computeIfAbsent(profile, name -> factory.apply(profiles.named(name).orElseThrow(
                () -> new IllegalArgumentException("no CA profile named " + name))));
    }

    public Optional<CaProfile> profileNamed(String name) {
        return profiles.named(name);
    }
}
