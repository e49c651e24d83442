package dev.acmesmime.james.webadmin;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

import dev.acmesmime.fuzz.Campaign;
import dev.acmesmime.fuzz.Choices;
import dev.acmesmime.fuzz.Mutator;

/**
 * {@link WebAdminBodiesFuzzTest}'s invariants at real speed, without Jazzer: its seeds, the bodies that once
 * broke them, and 3,000 mutated bodies from a fixed seed.
 */
class WebAdminBodiesSeedsTest {

    @Test
    void aValidBody_isStored_andJsonNull_isARefusal() {
        // JSON null made PUT pending-challenges answer 500 (found by the campaign); OrganisationRoutesTest
        // holds the route itself to a 400
        byte[] pending = new String(WebAdminBodiesFuzzTest.seeds().get(0), StandardCharsets.UTF_8)
                .replace("/chall/1", "/chall/seed").getBytes(StandardCharsets.UTF_8);

        assertThat(WebAdminBodiesFuzzTest.check(true, pending)).isEqualTo("204");
        byte[] notice = CaRoutesFixtures.notice("<seed@ca.example>", CaRoutesFixtures.TOKEN, "carol@example.org", null)
                .getBytes(StandardCharsets.UTF_8);

        assertThat(WebAdminBodiesFuzzTest.check(false, notice)).isEqualTo("registered");
        assertThat(WebAdminBodiesFuzzTest.check(true, "null".getBytes(StandardCharsets.UTF_8))).startsWith("400");
        assertThat(WebAdminBodiesFuzzTest.check(false, "null".getBytes(StandardCharsets.UTF_8))).startsWith("400");
    }

    @Test
    void aSeededMutationRun_keepsEveryInvariant() {
        SplittableRandom random = new SplittableRandom(8823);
        Set<String> thrown = new TreeSet<>();
        for (int i = 0; i < 3_000; i++) {
            Choices choices = Choices.of(random, random.nextInt(1, 40));
            boolean pending = choices.number(0, 1) == 0;
            try {
                WebAdminBodiesFuzzTest.check(pending, Mutator.mail(choices, WebAdminBodiesFuzzTest.seeds()));
            } catch (RuntimeException e) {
                thrown.add(e.toString());
            }
        }

        assertThat(Campaign.of("webadmin-json").crashes()).as("thrown: %s", thrown).isZero();
        assertThat(Campaign.of("webadmin-json").inputs()).isGreaterThanOrEqualTo(3_000);
    }
}
