package dev.acmesmime.store;

import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

import dev.acmesmime.gateway.EncryptPolicy;
import dev.acmesmime.gateway.SignPolicy;

/**
 * A gateway policy override set over WebAdmin for one scope. An empty policy inherits: the
 * configuration for the same scope, then the domain's, then the default.
 *
 * @param scope     a domain ({@code org.example}) or a mailbox ({@code alice@org.example}), lower case
 * @param sign      the signing policy of senders in the scope, or empty
 * @param encrypt   the encryption policy of recipients in the scope, or empty
 * @param updatedAt when it was last saved (set by the store)
 */
public record GatewayPolicyOverride(String scope, Optional<SignPolicy> sign, Optional<EncryptPolicy> encrypt,
                                    Instant updatedAt) {
    /** The longest scope: a mailbox (RFC 5321 §4.5.3.1). */
    public static final int MAX_SCOPE = 320;

    public GatewayPolicyOverride {
        scope = normalise(scope);
        Objects.requireNonNull(sign, "sign");
        Objects.requireNonNull(encrypt, "encrypt");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }

    /** An override to save; the store stamps its time. */
    public static GatewayPolicyOverride of(String scope, Optional<SignPolicy> sign, Optional<EncryptPolicy> encrypt) {
        return new GatewayPolicyOverride(scope, sign, encrypt, Instant.EPOCH);
    }

    /** Whether the scope is a mailbox rather than a domain. */
    public boolean isMailbox() {
        return scope.indexOf('@') >= 0;
    }

    /**
     * {@code scope} trimmed and lower case.
     *
     * @throws IllegalArgumentException when it is empty, longer than {@value #MAX_SCOPE}, holds a blank,
     *         or is neither a domain nor {@code local@domain}
     */
    public static String normalise(String scope) {
        String s = Objects.requireNonNull(scope, "scope").trim().toLowerCase(Locale.ROOT);
        int at = s.lastIndexOf('@');
        String domain = s.substring(at + 1);
        if (s.isEmpty() || s.length() > MAX_SCOPE || s.chars().anyMatch(c -> c <= ' ' || c == 0x7f)
                || at == 0 || s.indexOf('@') != at || domain.isEmpty() || domain.startsWith(".")
                || domain.endsWith(".") || domain.contains("..")) {
            throw new IllegalArgumentException("not a domain or a mailbox: '" + scope + "'");
        }
        return s;
    }
}
