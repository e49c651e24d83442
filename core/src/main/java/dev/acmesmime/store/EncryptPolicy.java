package dev.acmesmime.store;

import java.util.Locale;
import java.util.Optional;

/**
 * Whether the S/MIME gateway encrypts mail to a recipient (issue 16 §2): per recipient domain, per recipient.
 * {@link #OPPORTUNISTIC} encrypts when a valid certificate is known and sends in clear otherwise;
 * {@link #REQUIRED} holds the mail (and tells the sender) when none is known.
 */
public enum EncryptPolicy {
    OFF,
    OPPORTUNISTIC,
    REQUIRED;

    /** The name in configuration and WebAdmin: {@code off}, {@code opportunistic}, {@code required}. */
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @return the policy named {@code code} (case-insensitive), empty for anything else */
    public static Optional<EncryptPolicy> parse(String code) {
        for (EncryptPolicy p : values()) {
            if (p.code().equalsIgnoreCase(code == null ? "" : code.trim())) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }
}
