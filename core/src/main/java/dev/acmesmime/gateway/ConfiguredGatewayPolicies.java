package dev.acmesmime.gateway;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.acmesmime.store.GatewayPolicyOverride;
import dev.acmesmime.store.GatewayPolicyStore;

/**
 * The gateway's policy for an address, from the settings ({@link GatewaySettings}) and the overrides set
 * over WebAdmin ({@link GatewayPolicyStore}). The most specific scope that sets a policy wins:
 * <ol>
 * <li>the mailbox's WebAdmin override, then its {@code gateway.sign.<mailbox>} setting;</li>
 * <li>the domain's WebAdmin override, then its {@code gateway.sign.<domain>} setting;</li>
 * <li>the default {@code gateway.sign} (likewise {@code gateway.encrypt…} for recipients).</li>
 * </ol>
 * The overrides are read from the store at most every {@link #TTL}, so a WebAdmin change applies on
 * every node of a cluster within that time (at once on the node that made it, see {@link #refresh()}).
 * Thread-safe.
 */
public final class ConfiguredGatewayPolicies implements GatewayPolicies {
    /** How long the overrides read from the store are used before being read again. */
    public static final Duration TTL = Duration.ofSeconds(2);
    private static final Logger LOGGER = LoggerFactory.getLogger(ConfiguredGatewayPolicies.class);

    /** The overrides as read at {@code readAt}, by scope. */
    private record Snapshot(Map<String, GatewayPolicyOverride> byScope, Instant readAt) {
    }

    private final GatewaySettings settings;
    private final GatewayPolicyStore store;
    private final Clock clock;
    private volatile Snapshot snapshot;

    public ConfiguredGatewayPolicies(GatewaySettings settings, GatewayPolicyStore store, Clock clock) {
        this.settings = settings;
        this.store = store;
        this.clock = clock;
    }

    /** The settings this was built from. */
    public GatewaySettings settings() {
        return settings;
    }

    /** Whether signed mail carries RFC 9788 header protection (G5). */
    public boolean headerProtection() {
        return settings.headerProtection();
    }

    @Override
    public SignPolicy signing(String mailbox) {
        return resolve(mailbox, GatewayPolicyOverride::sign, settings.signScopes(), settings.sign());
    }

    @Override
    public EncryptPolicy encryption(String recipient) {
        return resolve(recipient, GatewayPolicyOverride::encrypt, settings.encryptScopes(), settings.encrypt());
    }

    /** Forgets the overrides read so far: the next question reads them again (after a WebAdmin change). */
    public void refresh() {
        snapshot = null;
    }

    private <T> T resolve(String address, Function<GatewayPolicyOverride, Optional<T>> overridden,
                          Map<String, T> configured, T dflt) {
        String mailbox = address.trim().toLowerCase(Locale.ROOT);
        String domain = mailbox.substring(mailbox.lastIndexOf('@') + 1);
        Map<String, GatewayPolicyOverride> overrides = overrides();
        for (String scope : new String[] {mailbox, domain}) {
            Optional<T> chosen = Optional.ofNullable(overrides.get(scope)).flatMap(overridden)
                    .or(() -> Optional.ofNullable(configured.get(scope)));
            if (chosen.isPresent()) {
                return chosen.get();
            }
        }
        return dflt;
    }

    private Map<String, GatewayPolicyOverride> overrides() {
        Snapshot s = snapshot;
        Instant now = clock.instant();
        if (s != null && now.isBefore(s.readAt().plus(TTL)) && !now.isBefore(s.readAt())) {
            return s.byScope();
        }
        try {
            s = new Snapshot(store.all().stream().collect(Collectors.toUnmodifiableMap(
                    GatewayPolicyOverride::scope, Function.identity())), now);
        } catch (RuntimeException e) {
            if (s == null) {
                throw e;
            }
            // a database outage must not change every mail's policy: the last overrides read stay in
            // use for another TTL, so that mail is not slowed by a failing read each time
            LOGGER.warn("acme-smime gateway: cannot read the policy overrides, keeping those read at {}: {}",
                    s.readAt(), e.getMessage());
            snapshot = new Snapshot(s.byScope(), now);
            return s.byScope();
        }
        snapshot = s;
        return s.byScope();
    }
}
