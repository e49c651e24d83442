package dev.acmesmime.james.runtime;

import dev.acmesmime.gateway.BcSmimeProtection;
import dev.acmesmime.gateway.ConfiguredGatewayPolicies;
import dev.acmesmime.gateway.EnrolledCertificateDirectory;
import dev.acmesmime.gateway.GatewaySettings;
import dev.acmesmime.store.AcmeSmimeStore;

/**
 * The S/MIME gateway's parts in one James process, built once by {@link AcmeSmimeRuntime} from its
 * store and settings: the policies ({@code gateway.sign.*}, {@code gateway.encrypt.*},
 * {@code gateway.headerProtection}, WebAdmin overrides), the certificate directory, and for the mailets
 * the whole of {@link GatewayServices} with BouncyCastle's S/MIME operations trusting
 * {@code gateway.trustAnchors} ({@link GatewayTrustAnchors}). A bad setting throws naming its key.
 */
record GatewayParts(ConfiguredGatewayPolicies policies, EnrolledCertificateDirectory directory, GatewayServices services) {

    static GatewayParts of(AcmeSmimeRuntime runtime) {
        AcmeSmimeStore store = runtime.store();
        ConfiguredGatewayPolicies policies = new ConfiguredGatewayPolicies(GatewaySettings.fromProperties(runtime.settings()),
                store.gatewayPolicies(), runtime.clock());
        EnrolledCertificateDirectory directory = new EnrolledCertificateDirectory(store.enrolments(), store.correspondents(),
                runtime.clock());
        BcSmimeProtection protection = BcSmimeProtection.builder()
                .trustAnchors(GatewayTrustAnchors.fromSettings(runtime.settings(), runtime.home()))
                .clock(runtime.clock()).build();
        return new GatewayParts(policies, directory, new GatewayServices(protection, directory, policies,
                store.correspondents(), policies.headerProtection(), runtime.metrics(), runtime.clock()));
    }
}
