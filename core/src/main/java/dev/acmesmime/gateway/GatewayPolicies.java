package dev.acmesmime.gateway;

import dev.acmesmime.store.EncryptPolicy;
import dev.acmesmime.store.SignPolicy;

/**
 * The gateway's policy for one address: the most specific of a mailbox override, a domain override
 * and the configured default. Overrides come from configuration and from WebAdmin.
 */
public interface GatewayPolicies {

    /** How mail whose authenticated sender is {@code mailbox} is treated. */
    SignPolicy signing(String mailbox);

    /** How mail to {@code recipient} is treated. */
    EncryptPolicy encryption(String recipient);
}
