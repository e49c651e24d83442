package dev.acmesmime.fuzz;

import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The campaign without instrumentation: each target's mutations ({@link Mutator}) chosen by a seeded
 * generator instead of libFuzzer ({@link Choices}), on the same seeds and under the same invariants. No coverage feedback, but the code runs at its real speed, so this is the run whose
 * CPU figures count (Jazzer's instrumentation makes the same inputs 10 to 100 times slower) and the one
 * {@code benchmarks/fuzz.sh} drives for a million inputs. A crash or a forgery is counted and its input saved
 * ({@link Campaign}), and the run goes on.
 * <p>
 * {@code MutationRun TARGETS INPUTS [SEED [MAX_SECONDS]]}: TARGETS is a comma-separated list of {@code inspect},
 * {@code responder}, {@code ca-response}; INPUTS and MAX_SECONDS per target. Exit status 1 if any crash or
 * forgery.
 */
public final class MutationRun {

    /** The targets by campaign name. */
    enum Target {
        INSPECT("inspect", InspectFuzzTest::one),
        RESPONDER("responder", ResponderFuzzTest::one),
        CA_RESPONSE("ca-response", ResponseProcessorFuzzTest::one);

        final String campaign;
        final Consumer<Choices> one;

        Target(String campaign, Consumer<Choices> one) {
            this.campaign = campaign;
            this.one = one;
        }

        static Target named(String name) {
            return Arrays.stream(values()).filter(t -> t.campaign.equals(name)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no fuzz target " + name));
        }
    }

    private MutationRun() {
    }

    /**
     * Feeds {@code inputs} inputs drawn from {@code seed} to {@code target}, or fewer if {@code maxSeconds} pass
     * first; returns its campaign.
     */
    static Campaign run(Target target, long inputs, long seed, long maxSeconds) {
        SplittableRandom random = new SplittableRandom(seed);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(maxSeconds);
        for (long i = 0; i < inputs && System.nanoTime() - deadline < 0; i++) {
            try {
                target.one.accept(Choices.of(random, random.nextInt(1, 40)));
            } catch (RuntimeException | AssertionError e) {
                System.err.println(target.campaign + ": input " + i + ": " + e);
            }
        }
        return Campaign.of(target.campaign);
    }

    public static void main(String[] args) {
        long inputs = Long.parseLong(args[1]);
        long seed = args.length > 2 ? Long.parseLong(args[2]) : 8823;
        long maxSeconds = args.length > 3 ? Long.parseLong(args[3]) : Long.MAX_VALUE / 2_000_000_000L;
        long findings = 0;
        for (String name : args[0].split(",")) {
            long start = System.nanoTime();
            Campaign c = run(Target.named(name), inputs, seed, maxSeconds);
            double seconds = (System.nanoTime() - start) / 1e9;
            findings += c.crashes() + c.forgeries();
            System.out.printf(Locale.ROOT, "%-12s %,d inputs in %.0f s (%.0f/s), worst CPU %.2f ms, crashes %d, forgeries %d%n",
                    name, c.inputs(), seconds, c.inputs() / seconds, c.worstNanos() / 1e6, c.crashes(), c.forgeries());
        }
        System.exit(findings == 0 ? 0 : 1);
    }
}
