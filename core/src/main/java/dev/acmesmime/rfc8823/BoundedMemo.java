package dev.acmesmime.rfc8823;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Results worth remembering (an IDNA conversion, a parsed DNS name, a decoded key), thread-safe
 * and bounded by emptying the whole map when it is full. Crude eviction is enough where the
 * working set (a mail's few domains, a mail server's busiest senders) stays far below the bound,
 * and it keeps a flood of distinct values from mail from growing memory without limit.
 *
 * @param <K> what the result is computed from
 * @param <V> the result
 */
public final class BoundedMemo<K, V> {
    private final int capacity;
    private final Map<K, V> map = new ConcurrentHashMap<>();

    /** @param capacity most entries kept; the next one empties the map first */
    public BoundedMemo(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive");
        }
        this.capacity = capacity;
    }

    /** The remembered result, or {@code null}. */
    public V get(K key) {
        return map.get(key);
    }

    public void put(K key, V value) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        if (map.size() >= capacity) {
            map.clear();
        }
        map.put(key, value);
    }
}
