package dev.acmesmime.gateway;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.function.Function;

import dev.acmesmime.store.GatewayPolicyOverride;

/**
 * The gateway's policy settings in {@code conf/acme-smime.properties} (issue 16 §1, §2):
 * <pre>
 * # signing of senders' mail: off (default) or sign, for everyone, then per domain or mailbox
 * gateway.sign=off
 * gateway.sign.org.example=sign
 * gateway.sign.ceo@org.example=off
 * # encryption of mail to recipients: off (default), opportunistic or required
 * gateway.encrypt=off
 * gateway.encrypt.partner.example=opportunistic
 * gateway.encrypt.legal@partner.example=required
 * # RFC 9788 header protection in signed mail (G5)
 * gateway.headerProtection=false
 * </pre>
 * Every key below {@code gateway.sign.} and {@code gateway.encrypt.} names a scope: a domain or a
 * mailbox, matched case-insensitively. A mailbox's setting beats its domain's, which beats the
 * default; an override set over WebAdmin beats the setting of the same scope
 * ({@link ConfiguredGatewayPolicies}). A bad value stops start-up with a message naming the key.
 *
 * @param sign             {@value #SIGN}: the default signing policy
 * @param signScopes       {@code gateway.sign.<scope>}, by lower-case scope
 * @param encrypt          {@value #ENCRYPT}: the default encryption policy
 * @param encryptScopes    {@code gateway.encrypt.<scope>}, by lower-case scope
 * @param headerProtection {@value #HEADER_PROTECTION}
 */
public record GatewaySettings(SignPolicy sign, Map<String, SignPolicy> signScopes, EncryptPolicy encrypt,
                              Map<String, EncryptPolicy> encryptScopes, boolean headerProtection) {
    public static final String SIGN = "gateway.sign";
    public static final String ENCRYPT = "gateway.encrypt";
    public static final String HEADER_PROTECTION = "gateway.headerProtection";
    /** Nothing signed, nothing encrypted. */
    public static final GatewaySettings DEFAULT = new GatewaySettings(SignPolicy.OFF, Map.of(), EncryptPolicy.OFF,
            Map.of(), false);

    public GatewaySettings {
        Objects.requireNonNull(sign, "sign");
        Objects.requireNonNull(encrypt, "encrypt");
        signScopes = Map.copyOf(signScopes);
        encryptScopes = Map.copyOf(encryptScopes);
    }

    /**
     * Reads the {@code gateway.*} policy keys.
     *
     * @throws IllegalArgumentException starting with the key at fault, e.g. {@code gateway.sign.org.example: …}
     */
    public static GatewaySettings fromProperties(Properties p) {
        return new GatewaySettings(
                policy(p, SIGN, SignPolicy::parse, "off or sign").orElse(SignPolicy.OFF),
                scopes(p, SIGN, SignPolicy::parse, "off or sign"),
                policy(p, ENCRYPT, EncryptPolicy::parse, "off, opportunistic or required").orElse(EncryptPolicy.OFF),
                scopes(p, ENCRYPT, EncryptPolicy::parse, "off, opportunistic or required"),
                bool(p, HEADER_PROTECTION));
    }

    private static <T> Optional<T> policy(Properties p, String key, Function<String, Optional<T>> parse, String allowed) {
        String value = p.getProperty(key);
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        return Optional.of(parse.apply(value).orElseThrow(() -> new IllegalArgumentException(
                key + ": must be " + allowed + ", got '" + value.trim() + "'")));
    }

    private static <T> Map<String, T> scopes(Properties p, String base, Function<String, Optional<T>> parse,
                                             String allowed) {
        Map<String, T> found = new TreeMap<>();
        for (String key : p.stringPropertyNames()) {
            if (!key.startsWith(base + ".")) {
                continue;
            }
            String scope;
            try {
                scope = GatewayPolicyOverride.normalise(key.substring(base.length() + 1));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(key + ": " + e.getMessage(), e);
            }
            policy(p, key, parse, allowed).ifPresent(v -> {
                if (found.put(scope, v) != null) {
                    throw new IllegalArgumentException(key + ": " + scope + " is set twice (keys differ in case only)");
                }
            });
        }
        return found;
    }

    private static boolean bool(Properties p, String key) {
        String v = Optional.ofNullable(p.getProperty(key)).map(String::trim).orElse("false").toLowerCase(Locale.ROOT);
        if (!v.equals("true") && !v.equals("false")) {
            throw new IllegalArgumentException(key + ": must be true or false, got '" + p.getProperty(key) + "'");
        }
        return v.equals("true");
    }
}
