package dev.acmesmime.ca.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import dev.acmesmime.ca.ResponseProcessor;
import dev.acmesmime.metrics.DropwizardPluginMetrics;
import dev.acmesmime.metrics.PluginMetrics;

/**
 * What recording metrics costs the CA path (issue 18, goal at most 2 %), in process and in one run
 * (not a test; no assertions). One processor on a {@link ResponsePipeline} (one H2 store) reports to
 * {@link SwitchedMetrics}, switched per round: "off" is {@link PluginMetrics#NONE}, "on"
 * {@link DropwizardPluginMetrics}, a real Dropwizard registry used as James 3.8.1's
 * {@code MetricFactory} uses it. It is handed to every builder of the pipeline that takes a
 * {@code PluginMetrics}, so "on" costs exactly the metrics calls the code makes today; the run
 * prints which builders took it and how many calls were recorded per mail.
 * <p>
 * Rounds are interleaved on, off, off, on … (each with fresh responses, all signed beforehand) so
 * that other load on the machine hits both alike; warm-up rounds of each are dropped. A round's
 * figure is the process CPU per mail of {@link ResponseProcessor#process} plus the outbox's claim
 * and completion; the result is the median of the paired rounds' ratios, with their quartiles (the
 * run's resolution: today "on" and "off" run the same code). On a shared machine that spread is
 * wider than 2 %, so the run also times one metrics call ({@link MetricsCallCost}) and prints the
 * cost it implies: calls per mail × time per call over CPU per mail. Run from the repository
 * root (docs/benchmarks.md):
 * <pre>
 * mvn -B -q -o -pl core test-compile dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt -Dmdep.includeScope=test
 * java -cp core/target/classes:core/target/test-classes:$(cat /tmp/cp.txt) \
 *     dev.acmesmime.ca.bench.MetricsCostBenchmark [mails per round] [threads] [rounds of each] [warm-up rounds of each]
 * </pre>
 */
public final class MetricsCostBenchmark {
    private MetricsCostBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int n = ResponsePipeline.arg(args, 0, 250);
        int threads = ResponsePipeline.arg(args, 1, 2);
        int rounds = ResponsePipeline.arg(args, 2, 30);
        int warmUp = ResponsePipeline.arg(args, 3, 16);
        DropwizardPluginMetrics metrics = new DropwizardPluginMetrics();
        try (ResponsePipeline pipeline = new ResponsePipeline()) {
            List<String> attached = new ArrayList<>();
            SwitchedMetrics switched = new SwitchedMetrics(metrics);
            ResponseProcessor proc = pipeline.processor(switched, attached);
            System.out.println("metrics handed to: " + (attached.isEmpty() ? "no builder takes a PluginMetrics yet"
                    : String.join(", ", attached)));
            List<List<byte[]>> batches = new ArrayList<>();
            for (int i = 0; i < 2 * (warmUp + rounds); i++) {
                batches.add(pipeline.responses(n));
            }
            double[] onMs = new double[rounds];
            double[] offMs = new double[rounds];
            for (int r = 0; r < warmUp + rounds; r++) {
                // on, off, off, on, …: neither side always runs first
                boolean onFirst = r % 2 == 0;
                switched.switchOn(onFirst);
                double a = round(pipeline, proc, batches.get(2 * r), threads);
                switched.switchOn(!onFirst);
                double b = round(pipeline, proc, batches.get(2 * r + 1), threads);
                double onRound = onFirst ? a : b;
                double offRound = onFirst ? b : a;
                System.out.printf("%s round %d CPU per mail: on %.3f ms, off %.3f ms%n", r < warmUp ? "warm-up" : "measured",
                        r, onRound, offRound);
                if (r >= warmUp) {
                    onMs[r - warmUp] = onRound;
                    offMs[r - warmUp] = offRound;
                }
            }
            report(onMs, offMs, metrics, (warmUp + rounds) * n);
        }
    }

    /** One batch through processing and completion; process CPU ms per mail of both stages. */
    private static double round(ResponsePipeline pipeline, ResponseProcessor proc, List<byte[]> batch, int threads)
            throws Exception {
        ResponsePipeline.Stage process = pipeline.process(proc, batch, threads);
        ResponsePipeline.Stage complete = pipeline.complete();
        if (complete.mails() != batch.size()) {
            throw new IllegalStateException(complete.mails() + " forwarded of " + batch.size() + ": not the CA path");
        }
        return (process.cpuNanos() + complete.cpuNanos()) / 1e6 / batch.size();
    }

    private static void report(double[] onMs, double[] offMs, DropwizardPluginMetrics metrics, int onMails) {
        double on = median(onMs);
        double off = median(offMs);
        double[] ratios = new double[onMs.length];
        for (int i = 0; i < ratios.length; i++) {
            ratios[i] = (onMs[i] / offMs[i] - 1) * 100;
        }
        double[] sorted = ratios.clone();
        Arrays.sort(sorted);
        System.out.printf("median CPU per mail: on %.3f ms, off %.3f ms (%+.2f %%)%n", on, off, (on / off - 1) * 100);
        System.out.printf("on vs off, median of the %d paired rounds: %+.2f %% (quartiles %+.2f %% .. %+.2f %%; goal <= 2 %%)%n",
                ratios.length, median(ratios), sorted[sorted.length / 4], sorted[sorted.length * 3 / 4]);
        System.out.printf("throughput per CPU second: on %.0f, off %.0f mails%n", 1000 / on, 1000 / off);
        double calls = (double) metrics.recorded() / onMails;
        System.out.printf("metrics recorded by \"on\": %d calls for %d mails (%.1f per mail), %d series%n",
                metrics.recorded(), onMails, calls, metrics.series());
        double ns = MetricsCallCost.nanosPerCall();
        System.out.printf("one metrics call (counter or timer, one thread): %.0f ns; at %.1f calls per mail that is %.4f %% "
                + "of the %.3f ms per mail%n", ns, calls, calls * ns / (off * 1e6) * 100, off);
    }

    private static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }
}
