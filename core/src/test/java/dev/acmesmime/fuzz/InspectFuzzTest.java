package dev.acmesmime.fuzz;

import java.util.List;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

import dev.acmesmime.rfc8823.AcmeMailInspector;
import dev.acmesmime.rfc8823.Expectations;
import dev.acmesmime.rfc8823.MessageKind;
import dev.acmesmime.rfc8823.Verdict;

/**
 * Fuzz target: {@link AcmeMailInspector} on raw bytes, all three entry points ({@code inspect},
 * {@code inspectChallenge}, {@code inspectResponse} against the signed challenge's expectations), DKIM on.
 * Invariants ({@link Campaign}): a verdict of some kind with checks for any bytes, within the CPU budget, and
 * no valid challenge or response that dkimpy does not verify.
 * <p>
 * As a JUnit test it runs the stored inputs ({@code InspectFuzzTestInputs/}); with {@code JAZZER_FUZZ=1} it
 * fuzzes for 15 s; {@code benchmarks/fuzz.sh} drives {@link #fuzzerTestOneInput} with Jazzer's own driver.
 */
class InspectFuzzTest {

    private static final class Target {
        static final SignedMails SIGNED = SignedMails.get();
        static final List<byte[]> SEEDS = Corpus.all(SIGNED);
        static final AcmeMailInspector INSPECTOR = AcmeMailInspector.builder().authenticity(SIGNED.verifier())
                .clock(SIGNED.clock()).build();
        static final Expectations RESPONSE = SIGNED.responseExpectations();
        static final Campaign CAMPAIGN = Campaign.of("inspect");
    }

    @FuzzTest(maxDuration = "15s")
    void inspect(FuzzedDataProvider data) {
        fuzzerTestOneInput(data);
    }

    /** One input: Jazzer's entry point. */
    public static void fuzzerTestOneInput(FuzzedDataProvider data) {
        check(Mutator.mail(Choices.of(data), Target.SEEDS));
    }

    /** One input drawn by {@link MutationRun}. */
    static void one(Choices choices) {
        check(Mutator.mail(choices, Target.SEEDS));
    }

    /** The invariants on one mail. */
    static void check(byte[] mail) {
        Verdict[] verdicts = Target.CAMPAIGN.run(mail, m -> new Verdict[] {
            Target.INSPECTOR.inspect(m, Expectations.NONE),
            Target.INSPECTOR.inspectChallenge(m, Expectations.NONE),
            Target.INSPECTOR.inspectResponse(m, Target.RESPONSE)});
        for (Verdict v : verdicts) {
            if (v == null || v.kind() == null || v.checks().isEmpty() || v.kind() == MessageKind.OTHER && v.valid()) {
                throw new AssertionError("not a verdict: " + v);
            }
            if (v.valid()) {
                Forgeries.accepted(Target.CAMPAIGN, mail, "a valid " + v.kind());
            }
        }
    }
}
