package dev.acmesmime.store;

import java.util.List;
import java.util.Optional;

/**
 * The gateway's policy overrides set over WebAdmin (issue 16 §1, §2), per domain or mailbox. They win
 * over the configuration for the same scope; see {@code gateway.ConfiguredGatewayPolicies}.
 */
public interface GatewayPolicyStore {
    /** At most this many overrides are listed at once; more is not a use this store is built for. */
    int MAX_LIST = 10_000;

    /** The override of {@code scope} (normalised), if any. */
    Optional<GatewayPolicyOverride> find(String scope);

    /** Every override, in scope order (at most {@value #MAX_LIST}). */
    List<GatewayPolicyOverride> all();

    /** Creates or replaces the override of its scope; @return it as stored */
    GatewayPolicyOverride save(GatewayPolicyOverride override);

    /** @return whether there was an override of {@code scope} to delete */
    boolean delete(String scope);
}
