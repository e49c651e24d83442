package dev.acmesmime.dkim;

import java.util.List;
import java.util.Random;
import java.util.function.Supplier;

/** Inputs and outcomes for the tests that hold a quick reading against the one it replaces. */
final class Fuzz {

    private Fuzz() {
    }

    /** Up to {@code maxPieces - 1} pieces drawn at random and joined. */
    static String text(String[] pieces, int maxPieces, Random random) {
        StringBuilder sb = new StringBuilder();
        for (int k = random.nextInt(maxPieces); k > 0; k--) {
            sb.append(pieces[random.nextInt(pieces.length)]);
        }
        return sb.toString();
    }

    /** What {@code s} gives, or the type and message of what it throws. */
    static Object outcome(Supplier<Object> s) {
        try {
            return s.get();
        } catch (RuntimeException e) {
            return List.of(e.getClass(), String.valueOf(e.getMessage()));
        }
    }
}
