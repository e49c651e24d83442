package dev.acmesmime.testca.acme;

import dev.acmesmime.rfc8823.JwkThumbprint;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jose4j.jwk.PublicJsonWebKey;

/**
 * The accounts, in memory, by URL and by key: one key is one account (RFC 8555 §7.3.1: a newAccount with a
 * known key answers the existing account).
 */
public final class Accounts {

    /** What {@link #register} did: the account, and whether it was created now. */
    public record Registration(Account account, boolean created) {
    }

    private final Urls urls;
    private final Clock clock;
    private final AtomicLong ids = new AtomicLong();
    private final Map<String, Account> byId = new ConcurrentHashMap<>();
    private final Map<String, String> idByThumbprint = new ConcurrentHashMap<>();

    public Accounts(Urls urls, Clock clock) {
        this.urls = urls;
        this.clock = clock;
    }

    /** The account with this key, if there is one. */
    public Optional<Account> byKey(PublicJsonWebKey key) {
        return Optional.ofNullable(idByThumbprint.get(thumbprint(key))).map(byId::get);
    }

    /** The account whose URL this is (a {@code kid}), if there is one. */
    public Optional<Account> byUrl(String url) {
        return urls.accountId(url).map(byId::get);
    }

    /** Creates the account for this key, or answers the one that has it already. */
    public synchronized Registration register(PublicJsonWebKey key, List<String> contact, Optional<String> eabKid) {
        Optional<Account> existing = byKey(key);
        if (existing.isPresent()) {
            return new Registration(existing.get(), false);
        }
        String id = Long.toString(ids.incrementAndGet());
        String thumbprint = thumbprint(key);
        URI url = urls.account(id);
        Account account = new Account(id, url, key, thumbprint, contact, Account.Status.VALID, eabKid,
                clock.instant());
        byId.put(id, account);
        idByThumbprint.put(thumbprint, id);
        return new Registration(account, true);
    }

    /** Stores a changed account (update, deactivation). */
    public void replace(Account account) {
        byId.put(account.id(), account);
    }

    public int count() {
        return byId.size();
    }

    static String thumbprint(PublicJsonWebKey key) {
        return JwkThumbprint.of(key.getPublicKey());
    }
}
