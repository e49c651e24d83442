package dev.acmesmime.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The invariants every fuzz target checks on every input, and the figures of one target's run.
 * <ul>
 *   <li><b>No exception escapes.</b> Anything thrown by the code under test is a crash: counted, its input
 *   written to {@code target/fuzz/crashes/}, and thrown on so that Jazzer records it too.</li>
 *   <li><b>CPU budget.</b> Each input of up to {@value #BUDGET_SIZE} octets gets at most
 *   {@code fuzz.cpuBudgetMillis} (10 ms) of its thread's CPU time ({@link ThreadMXBean#getCurrentThreadCpuTime}).
 *   The first {@code fuzz.warmup} inputs (JIT) are measured but not held to it. An input over the budget is
 *   run three more times: if even its fastest run is over, the input is saved ({@code target/fuzz/crashes/*-slow-*})
 *   and the figure reported, and the run fails when that fastest run is over {@code fuzz.cpuFailMillis} (20 ms),
 *   well above the budget: a safepoint, a page fault or a loaded machine then does not fail CI, a slow input does. Under Jazzer's instrumentation ({@code -Dfuzz.instrumented=true}) the
 *   times are recorded but not held to the budget: {@link MutationRun} runs the same targets uninstrumented.</li>
 *   <li><b>No forgery accepted</b>: {@link #forgery} is called by the targets whose oracle caught one.</li>
 * </ul>
 * The figures (inputs, rate, worst CPU time, crashes, forgeries) are printed and written to
 * {@code target/fuzz/<target>.properties} when the JVM ends, with the slowest input ({@code <target>-worst.eml},
 * and the slowest re-measured one); {@code benchmarks/fuzz.sh} sums them.
 */
public final class Campaign {

    static final int BUDGET_SIZE = 64 * 1024;
    private static final long BUDGET_NANOS = Long.getLong("fuzz.cpuBudgetMillis", 10) * 1_000_000L;
    /** Failing only well above the budget keeps a shared, loaded CI machine from failing a run by chance. */
    private static final long FAIL_NANOS = Long.getLong("fuzz.cpuFailMillis", 20) * 1_000_000L;
    private static final long WARMUP = Long.getLong("fuzz.warmup", 2_000);
    /** Under Jazzer's instrumentation CPU times are 10 to 100 times the real ones: recorded, never held to the budget. */
    private static final boolean INSTRUMENTED = Boolean.getBoolean("fuzz.instrumented");
    private static final Path OUT = Path.of(System.getProperty("fuzz.out", "target/fuzz"));
    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();
    private static final Map<String, Campaign> CAMPAIGNS = new ConcurrentHashMap<>();

    private final String target;
    private final long started = System.nanoTime();
    private long lastInputEnded = started;
    private long inputs;
    private long worstNanos;
    private byte[] worstInput;
    private long worstRemeasuredNanos;
    private byte[] worstRemeasuredInput;
    private long crashes;
    private long forgeries;
    private long accepted;

    private Campaign(String target) {
        this.target = target;
    }

    /** The one campaign of {@code target} in this JVM; its figures are written when the JVM ends. */
    public static Campaign of(String target) {
        return CAMPAIGNS.computeIfAbsent(target, t -> {
            Campaign c = new Campaign(t);
            Runtime.getRuntime().addShutdownHook(new Thread(c::report, "fuzz-report-" + t));
            return c;
        });
    }

    /** Runs {@code call} on {@code input} under the first two invariants and returns its answer. */
    public synchronized <T> T run(byte[] input, Function<byte[], T> call) {
        inputs++;
        long before = CPU.getCurrentThreadCpuTime();
        T answer;
        try {
            answer = call.apply(input);
        } catch (RuntimeException | Error e) {
            crashes++;
            save("crash", input);
            throw e;
        }
        long spent = CPU.getCurrentThreadCpuTime() - before;
        lastInputEnded = System.nanoTime();
        if (inputs > WARMUP && input.length <= BUDGET_SIZE) {
            if (spent > worstNanos) {
                worstNanos = spent;
                worstInput = input;
            }
            if (spent > BUDGET_NANOS && !INSTRUMENTED) {
                checkBudget(input, call);
            }
        }
        return answer;
    }

    private <T> void checkBudget(byte[] input, Function<byte[], T> call) {
        long fastest = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            long before = CPU.getCurrentThreadCpuTime();
            call.apply(input);
            fastest = Math.min(fastest, CPU.getCurrentThreadCpuTime() - before);
        }
        if (fastest > worstRemeasuredNanos) {
            worstRemeasuredNanos = fastest;
            worstRemeasuredInput = input;
        }
        if (fastest > BUDGET_NANOS) {
            save("slow", input);
        }
        if (fastest > FAIL_NANOS) {
            throw new AssertionError(String.format(Locale.ROOT, "%s: an input of %d octets took %.2f ms of CPU at best"
                    + " (budget %d ms, failing above %d ms)", target, input.length, fastest / 1e6, BUDGET_NANOS / 1_000_000,
                    FAIL_NANOS / 1_000_000));
        }
    }

    /** Counts an input the code under test accepted as authentic (valid, or forwarded). */
    synchronized void accepted() {
        accepted++;
    }

    /** A forgery was accepted: counted, its input saved, and the run stopped with {@code why}. */
    synchronized void forgery(byte[] input, String why) {
        forgeries++;
        save("forgery", input);
        throw new AssertionError(target + ": forgery accepted: " + why);
    }

    public synchronized long inputs() {
        return inputs;
    }

    public synchronized long crashes() {
        return crashes;
    }

    public synchronized long forgeries() {
        return forgeries;
    }

    public synchronized long worstNanos() {
        return worstNanos;
    }

    private void save(String kind, byte[] input) {
        try {
            Path dir = Files.createDirectories(OUT.resolve("crashes"));
            Files.write(dir.resolve(target + "-" + kind + "-" + sha256(input)), input);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private synchronized void report() {
        double seconds = (lastInputEnded - started) / 1e9;
        String figures = String.format(Locale.ROOT, "target=%s%ninstrumented=%s%ninputs=%d%nseconds=%.1f%ninputsPerSecond=%.0f%n"
                        + "worstCpuMillis=%.3f%nworstSize=%d%nworstRemeasuredCpuMillis=%.3f%ncrashes=%d%n"
                        + "forgeries=%d%naccepted=%d%n", target, INSTRUMENTED, inputs, seconds, inputs / Math.max(seconds, 1e-9),
                worstNanos / 1e6, worstInput == null ? 0 : worstInput.length, worstRemeasuredNanos / 1e6, crashes, forgeries, accepted);
        System.out.println("fuzz figures: " + figures.replace(System.lineSeparator(), " "));
        try {
            Files.createDirectories(OUT);
            Files.writeString(OUT.resolve(target + ".properties"), figures, StandardCharsets.UTF_8);
            if (worstInput != null) {
                Files.write(OUT.resolve(target + "-worst.eml"), worstInput);
            }
            if (worstRemeasuredInput != null) {
                Files.write(OUT.resolve(target + "-worst-remeasured.eml"), worstRemeasuredInput);
            }
        } catch (IOException e) {
            System.err.println("fuzz figures not written: " + e);
        }
    }

    private static String sha256(byte[] input) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(input)).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
