package dev.acmesmime.james.webadmin;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import dev.acmesmime.gateway.EncryptPolicy;
import dev.acmesmime.gateway.GatewaySettings;
import dev.acmesmime.gateway.SignPolicy;
import dev.acmesmime.store.GatewayPolicyOverride;

/** The JSON documents of {@link GatewayRoutes}' policy endpoints. */
public final class GatewayPolicyDtos {

    private GatewayPolicyDtos() {
    }

    /** The body of {@code PUT /acme-smime/gateway/policies/{scope}}: absent or {@code null} = inherit. */
    public record PolicyRequest(String sign, String encrypt) {
    }

    /** One scope's policies; {@code null} inherits. {@code updatedAt} only for WebAdmin overrides. */
    public record ScopeDto(String scope, String sign, String encrypt, String updatedAt) {
        static ScopeDto of(GatewayPolicyOverride o) {
            return new ScopeDto(o.scope(), o.sign().map(SignPolicy::code).orElse(null),
                    o.encrypt().map(EncryptPolicy::code).orElse(null), o.updatedAt().toString());
        }
    }

    /** The policies that apply when no scope sets one. */
    public record DefaultsDto(String sign, String encrypt, boolean headerProtection) {
    }

    /** {@code GET /acme-smime/gateway/policies}: the defaults, the configured scopes and the WebAdmin overrides. */
    public record PoliciesDto(DefaultsDto defaults, List<ScopeDto> configured, List<ScopeDto> overrides) {
        static PoliciesDto of(GatewaySettings s, List<GatewayPolicyOverride> overrides) {
            Set<String> scopes = new TreeSet<>(s.signScopes().keySet());
            scopes.addAll(s.encryptScopes().keySet());
            List<ScopeDto> configured = scopes.stream().map(scope -> new ScopeDto(scope,
                    Optional.ofNullable(s.signScopes().get(scope)).map(SignPolicy::code).orElse(null),
                    Optional.ofNullable(s.encryptScopes().get(scope)).map(EncryptPolicy::code).orElse(null), null))
                    .toList();
            return new PoliciesDto(new DefaultsDto(s.sign().code(), s.encrypt().code(), s.headerProtection()),
                    configured, overrides.stream().map(ScopeDto::of).toList());
        }
    }
}
