package dev.acmesmime.fuzz;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

import dev.acmesmime.ca.Disposition;
import dev.acmesmime.ca.InboundResponse;
import dev.acmesmime.ca.ProcessingResult;
import dev.acmesmime.ca.ResponseProcessor;
import dev.acmesmime.store.AcmeSmimeStore;
import dev.acmesmime.store.IssuedChallenge;

/**
 * Fuzz target: the CA's response processing ({@link ResponseProcessor#process}) with DKIM on, on an H2 store
 * that recorded the signed challenge. Invariants ({@link Campaign}): a result for any bytes, within the CPU
 * budget, and no response taken as authentic (forwarded, or a duplicate or an already-used one, which both
 * passed validation) that dkimpy does not verify.
 */
class ResponseProcessorFuzzTest {

    /** The dispositions only an authentic response reaches. */
    static final Set<Disposition> AUTHENTIC = EnumSet.of(Disposition.FORWARDED, Disposition.DUPLICATE,
            Disposition.ALREADY_USED);

    private static final class Target {
        static final SignedMails SIGNED = SignedMails.get();
        static final List<byte[]> SEEDS = Corpus.all(SIGNED);
        static final FreshStore<ResponseProcessor> PROCESSOR = new FreshStore<>(SIGNED.clock(), Target::processor);
        static final Campaign CAMPAIGN = Campaign.of("ca-response");

        private static ResponseProcessor processor(AcmeSmimeStore store) {
            store.issuedChallenges().record(IssuedChallenge.sent(SIGNED.challengeMail().messageId(),
                    SIGNED.challengeMail().tokenPart1(), SignedMails.ALICE, SignedMails.RESPONSE_ADDRESS, SignedMails.TAG,
                    SignedMails.SENT, SignedMails.SENT.plus(Duration.ofHours(24))));
            return ResponseProcessor.builder().store(store).clock(SIGNED.clock()).dkim(SIGNED.verifier()).build();
        }
    }

    @FuzzTest(maxDuration = "15s")
    void process(FuzzedDataProvider data) {
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
    static ProcessingResult check(byte[] mail) {
        ResponseProcessor processor = Target.PROCESSOR.next();
        ProcessingResult r = Target.CAMPAIGN.run(mail, m -> processor.process(new InboundResponse(m, SignedMails.ALICE,
                List.of(SignedMails.RESPONSE_ADDRESS), "192.0.2.7", "mx.org.test")));
        if (r == null || r.disposition() == null) {
            throw new AssertionError("not a result: " + r);
        }
        if (AUTHENTIC.contains(r.disposition())) {
            Forgeries.accepted(Target.CAMPAIGN, mail, "a " + r.disposition() + " response");
        }
        return r;
    }
}
