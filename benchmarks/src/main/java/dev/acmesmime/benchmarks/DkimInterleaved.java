package dev.acmesmime.benchmarks;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link DkimBenchmark}'s methods interleaved in one JVM, for a machine shared with other
 * work: each round runs every method {@value #CALLS} times in turn, so load that comes and goes
 * hits all alike. Prints each one's fastest and median round (µs per call, the first third of
 * the rounds dropped as warm-up) and the throughput ratios a/b, a/c and the Ed25519/RSA time ratios of the fastest rounds.
 * Usage: {@code java -cp ... dev.acmesmime.benchmarks.DkimInterleaved [ROUNDS]} (default 200).
 */
public final class DkimInterleaved {
    static final int CALLS = 300;

    private interface Call {
        Object run() throws Exception;
    }

    private DkimInterleaved() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        DkimBenchmark b = new DkimBenchmark();
        b.setUp();
        Map<String, Call> calls = new LinkedHashMap<>();
        calls.put("a_ourFullCheck", b::a_ourFullCheck);
        calls.put("a2_dkimPolicyOnly", b::a2_dkimPolicyOnly);
        calls.put("b_jamesDkimVerify", b::b_jamesDkimVerify);
        calls.put("c_cryptoFloor", b::c_cryptoFloor);
        calls.put("e_ourFullCheckEd25519", b::e_ourFullCheckEd25519);
        calls.put("e2_dkimPolicyOnlyEd25519", b::e2_dkimPolicyOnlyEd25519);
        calls.put("f_cryptoFloorEd25519", b::f_cryptoFloorEd25519);
        calls.put("f2_jdkEd25519Verify", b::f2_jdkEd25519Verify);
        Map<String, List<Double>> micros = new LinkedHashMap<>();
        for (int r = 0; r < rounds; r++) {
            for (Map.Entry<String, Call> e : calls.entrySet()) {
                long t = System.nanoTime();
                for (int i = 0; i < CALLS; i++) {
                    e.getValue().run();
                }
                micros.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add((System.nanoTime() - t) / 1000.0 / CALLS);
            }
        }
        Map<String, Double> fastest = new LinkedHashMap<>();
        System.out.printf("mail size %d octets, %d rounds of %d calls%n", b.size(), rounds, CALLS);
        for (Map.Entry<String, List<Double>> e : micros.entrySet()) {
            List<Double> kept = new ArrayList<>(e.getValue().subList(rounds / 3, rounds));
            Collections.sort(kept);
            fastest.put(e.getKey(), kept.get(0));
            System.out.printf("%-20s fastest %7.1f us  median %7.1f us%n", e.getKey(), kept.get(0), kept.get(kept.size() / 2));
        }
        double a = fastest.get("a_ourFullCheck");
        System.out.printf("a/b = %.2f  (goal >= 1.0)%n", fastest.get("b_jamesDkimVerify") / a);
        System.out.printf("a/c = %.2f  (goal >= 0.5)%n", fastest.get("c_cryptoFloor") / a);
        System.out.printf("Ed25519/RSA time: full check e/a = %.2f, DKIM only e2/a2 = %.2f, crypto floor f/c = %.2f%n",
                fastest.get("e_ourFullCheckEd25519") / a,
                fastest.get("e2_dkimPolicyOnlyEd25519") / fastest.get("a2_dkimPolicyOnly"),
                fastest.get("f_cryptoFloorEd25519") / fastest.get("c_cryptoFloor"));
    }
}
