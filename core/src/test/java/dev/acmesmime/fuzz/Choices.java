package dev.acmesmime.fuzz;

import java.util.SplittableRandom;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;

/**
 * Where {@link Mutator}'s choices come from: Jazzer's {@link FuzzedDataProvider} in the coverage-guided run,
 * a seeded generator in {@link MutationRun}. The same target code serves both.
 */
public interface Choices {

    /** A number from {@code min} to {@code max}, both included. */
    int number(int min, int max);

    byte[] bytes(int count);

    /** Everything left, for an input that is taken as the mail itself. */
    byte[] rest();

    boolean exhausted();

    static Choices of(FuzzedDataProvider data) {
        return new Choices() {
            @Override
            public int number(int min, int max) {
                return data.consumeInt(min, max);
            }

            @Override
            public byte[] bytes(int count) {
                return data.consumeBytes(count);
            }

            @Override
            public byte[] rest() {
                return data.consumeRemainingAsBytes();
            }

            @Override
            public boolean exhausted() {
                return data.remainingBytes() == 0;
            }
        };
    }

    /** Choices drawn from {@code random}, about {@code budget} of them before it is exhausted. */
    static Choices of(SplittableRandom random, int budget) {
        return new Choices() {
            private int left = budget;

            @Override
            public int number(int min, int max) {
                left--;
                return random.nextInt(min, max + 1);
            }

            @Override
            public byte[] bytes(int count) {
                left--;
                byte[] b = new byte[random.nextInt(count + 1)];
                random.nextBytes(b);
                return b;
            }

            @Override
            public byte[] rest() {
                return bytes(Math.max(left, 0) * 16);
            }

            @Override
            public boolean exhausted() {
                return left <= 0;
            }
        };
    }
}
