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

    /** What {@code s} gives, or what it throws ({@link #thrown}). */
    static Object outcome(Supplier<Object> s) {
        try {
            return s.get();
        } catch (RuntimeException e) {
            return thrown(e);
        }
    }

    /**
     * The type and message of {@code e}. The JVM writes the message of an exception it raises itself (a
     * null dereference, a bad array index or cast) and drops it once the JIT compiles a hot throw site
     * (-XX:+OmitStackTraceInFastThrow, on by default): in a stress run one side's NullPointerException had lost its
     * message after thousands of inputs and the other's had not. Those are compared by type only.
     */
    static List<Object> thrown(RuntimeException e) {
        boolean jvmMade = e instanceof NullPointerException || e instanceof ArrayIndexOutOfBoundsException
                || e instanceof ClassCastException || e instanceof ArithmeticException || e instanceof ArrayStoreException;
        return List.of(e.getClass(), jvmMade ? "(message written by the JVM)" : String.valueOf(e.getMessage()));
    }
}
