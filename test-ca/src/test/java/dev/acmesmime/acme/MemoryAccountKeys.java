package dev.acmesmime.acme;

import java.net.URI;
import java.security.KeyPair;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** {@link AccountKeys} in memory, as the store backs them in production; keeps every save in order. */
final class MemoryAccountKeys implements AccountKeys {
    record Saved(KeyPair key, Optional<URI> url) {
    }

    private final Map<String, Saved> saved = new ConcurrentHashMap<>();
    private final List<Saved> history = new CopyOnWriteArrayList<>();

    @Override
    public Optional<KeyPair> load(CaProfile profile) {
        return saved(profile).map(Saved::key);
    }

    @Override
    public void save(CaProfile profile, KeyPair key, Optional<URI> accountUrl) {
        Saved s = new Saved(key, accountUrl);
        history.add(s);
        saved.put(profile.name(), s);
    }

    Optional<Saved> saved(CaProfile profile) {
        return Optional.ofNullable(saved.get(profile.name()));
    }

    /** Every save, oldest first. */
    List<Saved> history() {
        return history;
    }
}
