package dev.acmesmime.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.acmesmime.ca.Disposition;
import dev.acmesmime.organisation.Decision;
import dev.acmesmime.rfc8823.Verdict;

/**
 * The campaign's own checks, as plain tests: every seed passes every target's invariants unmutated, the
 * signed originals are accepted (else no forgery could ever be caught), and the oracle says no to a mail
 * whose signed part changed and yes to one changed only in an unsigned field.
 */
class CampaignSeedsTest {

    @Test
    void everySeed_passesEveryTarget() {
        List<byte[]> seeds = Corpus.all(SignedMails.get());

        for (byte[] seed : seeds) {
            InspectFuzzTest.check(seed);
            ResponderFuzzTest.check(seed);
            ResponseProcessorFuzzTest.check(seed);
        }

        assertThat(seeds).hasSizeGreaterThanOrEqualTo(28);
        for (String target : List.of("inspect", "responder", "ca-response")) {
            assertThat(Campaign.of(target).inputs()).as(target).isGreaterThanOrEqualTo(seeds.size());
            assertThat(Campaign.of(target).crashes()).as(target).isZero();
            assertThat(Campaign.of(target).forgeries()).as(target).isZero();
        }
    }

    /**
     * The invariants in CI at real speed (the Jazzer run is instrumented): 2,500 mutated inputs per target from a
     * fixed seed, the CPU budget held after the first {@code fuzz.warmup} (2,000) inputs of each.
     */
    @Test
    void aSeededMutationRun_keepsEveryInvariant() {
        for (MutationRun.Target target : MutationRun.Target.values()) {
            Campaign c = MutationRun.run(target, 2_500, 8823, 300);

            assertThat(c.crashes()).as(target.campaign).isZero();
            assertThat(c.forgeries()).as(target.campaign).isZero();
        }
    }

    @Test
    void theSignedOriginals_areAcceptedByEachTarget() {
        SignedMails signed = SignedMails.get();

        Decision decision = ResponderFuzzTest.check(signed.challenge());

        assertThat(decision.verdict()).map(Verdict::valid).contains(true);
        assertThat(ResponseProcessorFuzzTest.check(signed.response()).disposition())
                .isIn(ResponseProcessorFuzzTest.AUTHENTIC).isNotEqualTo(Disposition.REJECTED);
    }

    @Test
    void theOracle_refusesAChangedSignedPart_andAcceptsAnAddedTraceField() {
        String response = new String(SignedMails.get().response(), StandardCharsets.US_ASCII);
        byte[] bodyChanged = response.replace("-----END ACME RESPONSE-----", "-----END ACME RESPONSE-----\r\nP.S.")
                .getBytes(StandardCharsets.US_ASCII);
        byte[] fromChanged = response.replace("From: alice@org.test", "From: alicf@org.test")
                .getBytes(StandardCharsets.US_ASCII);
        byte[] traced = ("Received: from mx.org.test by mx.ca.test; Sat, 28 Nov 2026 10:01:00 +0000\r\n" + response)
                .getBytes(StandardCharsets.US_ASCII);

        assertThat(response).contains("From: alice@org.test");
        assertThat(Forgeries.dkimpyVerifies(SignedMails.get().response())).isTrue();
        assertThat(Forgeries.dkimpyVerifies(bodyChanged)).isFalse();
        assertThat(Forgeries.dkimpyVerifies(fromChanged)).isFalse();
        assertThat(Forgeries.dkimpyVerifies(traced)).isTrue();
        assertThat(ResponseProcessorFuzzTest.check(bodyChanged).disposition()).isEqualTo(Disposition.REJECTED);
        assertThat(ResponseProcessorFuzzTest.check(fromChanged).disposition()).isNotIn(ResponseProcessorFuzzTest.AUTHENTIC);
    }
}
