package dev.acmesmime.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.Properties;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.acmesmime.store.AcmeSmimeStore;
import dev.acmesmime.store.GatewayPolicyOverride;
import dev.acmesmime.store.StoreSettings;
import dev.acmesmime.testing.MutableClock;

/** Policy precedence (issue 16 §1, §2, G8): mailbox beats domain beats default; WebAdmin beats configuration. */
class ConfiguredGatewayPoliciesTest {
    @TempDir
    Path home;
    MutableClock clock = new MutableClock(Instant.parse("2026-06-01T12:00:00Z"));
    AcmeSmimeStore store;

    @BeforeEach
    void open() {
        store = AcmeSmimeStore.builder(StoreSettings.fromProperties(new Properties(), home)).clock(clock).open();
    }

    @AfterEach
    void close() {
        store.close();
    }

    private static Properties props(String... keyValues) {
        Properties p = new Properties();
        for (int i = 0; i < keyValues.length; i += 2) {
            p.setProperty(keyValues[i], keyValues[i + 1]);
        }
        return p;
    }

    private ConfiguredGatewayPolicies policies(String... keyValues) {
        return new ConfiguredGatewayPolicies(GatewaySettings.fromProperties(props(keyValues)), store.gatewayPolicies(),
                clock);
    }

    @Test
    void nothingConfigured_nothingIsSignedOrEncrypted() {
        ConfiguredGatewayPolicies policies = policies();
        assertThat(policies.signing("alice@org.example")).isEqualTo(SignPolicy.OFF);
        assertThat(policies.encryption("carol@partner.example")).isEqualTo(EncryptPolicy.OFF);
        assertThat(policies.headerProtection()).isFalse();
        assertThat(GatewaySettings.fromProperties(new Properties())).isEqualTo(GatewaySettings.DEFAULT);
    }

    @Test
    void g8_theMailboxSettingBeatsTheDomainsWhichBeatsTheDefault() {
        ConfiguredGatewayPolicies policies = policies("gateway.sign", "off", "gateway.sign.Org.Example", "SIGN",
                "gateway.sign.ceo@org.example", "off", "gateway.encrypt", "opportunistic",
                "gateway.encrypt.partner.example", "required", "gateway.encrypt.press@partner.example", "off",
                "gateway.headerProtection", "true");

        assertThat(policies.signing("Alice@ORG.example")).isEqualTo(SignPolicy.SIGN);
        assertThat(policies.signing("ceo@org.example")).isEqualTo(SignPolicy.OFF);
        assertThat(policies.signing("bob@sub.org.example")).isEqualTo(SignPolicy.OFF);
        assertThat(policies.encryption("carol@partner.example")).isEqualTo(EncryptPolicy.REQUIRED);
        assertThat(policies.encryption("press@partner.example")).isEqualTo(EncryptPolicy.OFF);
        assertThat(policies.encryption("someone@elsewhere.example")).isEqualTo(EncryptPolicy.OPPORTUNISTIC);
        assertThat(policies.headerProtection()).isTrue();
    }

    @Test
    void g8_aWebAdminOverrideBeatsTheConfigurationOfItsScope_andAnEmptyOneInherits() {
        store.gatewayPolicies().save(GatewayPolicyOverride.of("org.example", Optional.of(SignPolicy.OFF),
                Optional.empty()));
        store.gatewayPolicies().save(GatewayPolicyOverride.of("bob@org.example", Optional.empty(),
                Optional.of(EncryptPolicy.REQUIRED)));
        ConfiguredGatewayPolicies policies = policies("gateway.sign.org.example", "sign",
                "gateway.sign.bob@org.example", "sign", "gateway.encrypt.org.example", "opportunistic");

        assertThat(policies.signing("alice@org.example")).as("domain override over domain setting")
                .isEqualTo(SignPolicy.OFF);
        assertThat(policies.signing("bob@org.example")).as("mailbox setting over domain override")
                .isEqualTo(SignPolicy.SIGN);
        assertThat(policies.encryption("bob@org.example")).isEqualTo(EncryptPolicy.REQUIRED);
        assertThat(policies.encryption("alice@org.example")).isEqualTo(EncryptPolicy.OPPORTUNISTIC);
    }

    @Test
    void aWebAdminChangeAppliesWithinTheTtl_orAtOnceAfterRefresh() {
        ConfiguredGatewayPolicies policies = policies("gateway.sign", "sign");
        assertThat(policies.signing("alice@org.example")).isEqualTo(SignPolicy.SIGN);

        store.gatewayPolicies().save(GatewayPolicyOverride.of("alice@org.example", Optional.of(SignPolicy.OFF),
                Optional.empty()));
        assertThat(policies.signing("alice@org.example")).as("cached").isEqualTo(SignPolicy.SIGN);
        clock.advance(ConfiguredGatewayPolicies.TTL);
        assertThat(policies.signing("alice@org.example")).isEqualTo(SignPolicy.OFF);

        store.gatewayPolicies().delete("alice@org.example");
        policies.refresh();
        assertThat(policies.signing("alice@org.example")).isEqualTo(SignPolicy.SIGN);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "gateway.sign|encrypt|gateway.sign: must be off or sign, got 'encrypt'",
        "gateway.encrypt.partner.example|sign|gateway.encrypt.partner.example: must be off, opportunistic or required",
        "gateway.sign.@org.example|sign|gateway.sign.@org.example: not a domain or a mailbox",
        "gateway.headerProtection|yes|gateway.headerProtection: must be true or false"})
    void aBadValueStopsStartUpNamingItsKey(String key, String value, String message) {
        assertThatThrownBy(() -> GatewaySettings.fromProperties(props(key, value)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith(message);
    }
}
