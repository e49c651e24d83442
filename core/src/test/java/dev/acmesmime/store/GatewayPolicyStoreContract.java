package dev.acmesmime.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.acmesmime.gateway.EncryptPolicy;
import dev.acmesmime.gateway.SignPolicy;

/** The gateway's policy overrides set over WebAdmin, per domain or mailbox (issue 16 §1, §2). */
interface GatewayPolicyStoreContract extends StoreFixture {

    @Test
    default void g8_anOverrideIsSavedReplacedAndDeleted_byItsLowerCaseScope() {
        GatewayPolicyStore policies = store().gatewayPolicies();
        GatewayPolicyOverride saved = policies.save(GatewayPolicyOverride.of("Org.Example",
                Optional.of(SignPolicy.SIGN), Optional.empty()));
        assertThat(saved.scope()).isEqualTo("org.example");
        assertThat(saved.updatedAt()).isEqualTo(Jdbc.truncate(clock().instant()));

        clock().advance(Duration.ofMinutes(2));
        policies.save(GatewayPolicyOverride.of("org.example", Optional.empty(), Optional.of(EncryptPolicy.REQUIRED)));
        policies.save(GatewayPolicyOverride.of("alice@org.example", Optional.of(SignPolicy.OFF), Optional.empty()));

        assertThat(policies.find("ORG.EXAMPLE")).get().satisfies(o -> {
            assertThat(o.sign()).isEmpty();
            assertThat(o.encrypt()).contains(EncryptPolicy.REQUIRED);
            assertThat(o.updatedAt()).isEqualTo(Jdbc.truncate(clock().instant()));
            assertThat(o.isMailbox()).isFalse();
        });
        assertThat(policies.all()).extracting(GatewayPolicyOverride::scope)
                .containsExactly("alice@org.example", "org.example");
        assertThat(policies.delete("Alice@org.example")).isTrue();
        assertThat(policies.delete("alice@org.example")).isFalse();
        assertThat(policies.find("alice@org.example")).isEmpty();
    }

    @Test
    default void aScopeThatIsNeitherADomainNorAMailboxIsRefused() {
        for (String bad : new String[] {"", " ", "@org.example", "a@b@c", "a b.example", "alice@", "x@.example",
            "org..example", "d".repeat(321)}) {
            assertThatThrownBy(() -> store().gatewayPolicies().save(GatewayPolicyOverride.of(bad, Optional.empty(),
                    Optional.empty()))).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(store().gatewayPolicies().all()).isEmpty();
    }
}
