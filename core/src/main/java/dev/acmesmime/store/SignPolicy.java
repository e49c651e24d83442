package dev.acmesmime.store;

import java.util.Locale;
import java.util.Optional;

/**
 * Whether the S/MIME gateway signs a local sender's mail (issue 16 §1): per domain, per mailbox. Stored by
 * {@link GatewayPolicyStore}, applied by {@code gateway.GatewayPolicies}.
 */
public enum SignPolicy {
    OFF,
    SIGN;

    /** The name in configuration and WebAdmin: {@code off}, {@code sign}. */
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @return the policy named {@code code} (case-insensitive), empty for anything else */
    public static Optional<SignPolicy> parse(String code) {
        for (SignPolicy p : values()) {
            if (p.code().equalsIgnoreCase(code == null ? "" : code.trim())) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }
}
