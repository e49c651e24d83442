package dev.acmesmime.testca.acme;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/** The orders, in memory, by id and by account (RFC 8555 §7.1.2.1: the account's {@code orders} list). */
public final class Orders {
    private final AtomicLong ids = new AtomicLong();
    private final Map<String, Order> byId = new ConcurrentHashMap<>();
    private final Map<String, List<String>> byAccount = new ConcurrentHashMap<>();

    public String nextId() {
        return Long.toString(ids.incrementAndGet());
    }

    public void add(Order order) {
        byId.put(order.id(), order);
        byAccount.computeIfAbsent(order.accountId(), a -> new CopyOnWriteArrayList<>()).add(order.id());
    }

    public Optional<Order> byId(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    /** The ids of the account's orders that are not yet valid or invalid (§7.1.2.1 lists those). */
    public List<String> open(String accountId, Instant now) {
        List<String> open = new ArrayList<>();
        for (String id : byAccount.getOrDefault(accountId, List.of())) {
            Order.Status s = byId.get(id).status(now);
            if (s != Order.Status.VALID && s != Order.Status.INVALID) {
                open.add(id);
            }
        }
        return open;
    }

    public int count() {
        return byId.size();
    }
}
