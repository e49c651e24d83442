package dev.acmesmime.acme;

import java.net.URI;
import java.security.KeyPair;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** {@link AccountKeys} in memory, as the store backs them in production; counts the saves. */
final class MemoryAccountKeys implements AccountKeys {
    record Saved(KeyPair key, URI url) {
    }

    private final Map<String, Saved> saved = new ConcurrentHashMap<>();
    private final AtomicInteger saves = new AtomicInteger();

    @Override
    public Optional<KeyPair> load(CaProfile profile) {
        return saved(profile).map(Saved::key);
    }

    @Override
    public void save(CaProfile profile, KeyPair key, URI accountUrl) {
        saves.incrementAndGet();
        saved.put(profile.name(), new Saved(key, accountUrl));
    }

    Optional<Saved> saved(CaProfile profile) {
        return Optional.ofNullable(saved.get(profile.name()));
    }

    int saves() {
        return saves.get();
    }
}
