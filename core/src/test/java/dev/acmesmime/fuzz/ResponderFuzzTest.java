package dev.acmesmime.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

import dev.acmesmime.organisation.ChallengeResponder;
import dev.acmesmime.organisation.Decision;
import dev.acmesmime.organisation.DkimKeyDirectory;
import dev.acmesmime.organisation.RateLimits;
import dev.acmesmime.rfc8823.AcmeMailInspector;
import dev.acmesmime.rfc8823.Verdict;
import dev.acmesmime.store.AcmeSmimeStore;
import dev.acmesmime.store.PendingChallenge;

/**
 * Fuzz target: the organisation responder's decision ({@link ChallengeResponder#respond}) for Alice, who has
 * a pending challenge from the CA, on an H2 store, DKIM on. Invariants ({@link Campaign}): a decision for
 * any bytes, within the CPU budget, and no challenge found authentic (its verdict valid) that dkimpy does
 * not verify. The first authentic challenge of each store is answered; the next ones meet an answered
 * challenge, which is a decision too.
 */
class ResponderFuzzTest {

    private static final class Target {
        static final SignedMails SIGNED = SignedMails.get();
        static final List<byte[]> SEEDS = Corpus.all(SIGNED);
        static final FreshStore<ChallengeResponder> RESPONDER = new FreshStore<>(SIGNED.clock(), Target::responder);
        static final Campaign CAMPAIGN = Campaign.of("responder");

        private static ChallengeResponder responder(AcmeSmimeStore store) {
            store.pendingChallenges().register(new PendingChallenge.Registration(URI.create("https://ca.test/chall/1"),
                    SignedMails.ALICE, SignedMails.CA, SignedMails.TOKEN_PART2, SignedMails.THUMBPRINT,
                    SIGNED.clock().instant().plus(Duration.ofDays(1))));
            try {
                return ChallengeResponder.builder().store(store)
                        .inspector(AcmeMailInspector.builder().authenticity(SIGNED.verifier()).clock(SIGNED.clock()).build())
                        .signingKeys(DkimKeyDirectory.open(SIGNED.keyDirectory(), SIGNED.clock()))
                        .rateLimits(RateLimits.DEFAULT).clock(SIGNED.clock()).build();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @FuzzTest(maxDuration = "15s")
    void respond(FuzzedDataProvider data) {
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
    static Decision check(byte[] mail) {
        ChallengeResponder responder = Target.RESPONDER.next();
        Decision d = Target.CAMPAIGN.run(mail, m -> responder.respond(m, SignedMails.CA, SignedMails.ALICE));
        if (d == null || d.outcome() == null || d.codes() == null) {
            throw new AssertionError("not a decision: " + d);
        }
        if (d.verdict().map(Verdict::valid).orElse(false)) {
            Forgeries.accepted(Target.CAMPAIGN, mail, "an authentic challenge (" + d.outcome() + ")");
        }
        return d;
    }
}
