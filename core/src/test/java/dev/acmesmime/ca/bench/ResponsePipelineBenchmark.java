package dev.acmesmime.ca.bench;

import java.util.ArrayList;
import java.util.List;

import dev.acmesmime.ca.ResponseProcessor;
import dev.acmesmime.metrics.PluginMetrics;

/**
 * CPU cost of the CA role's work per response, in process, on the default store (embedded H2),
 * without James, SMTP or HTTP (not a test; no assertions): {@link ResponseProcessor#process} of
 * DKIM-signed responses by several threads (as James's spool runs the forwarder mailet), then the
 * outbox's claim and completion with its audit record (as the delivery worker does after a 2xx);
 * see {@link ResponsePipeline}. Each round uses fresh challenges; the first rounds warm the JIT.
 * Prints, per round, the process CPU time per mail and the throughput. Run from the repository root:
 * <pre>
 * mvn -B -q -o -pl core test-compile dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt -Dmdep.includeScope=test
 * java -cp core/target/classes:core/target/test-classes:$(cat /tmp/cp.txt) \
 *     dev.acmesmime.ca.bench.ResponsePipelineBenchmark [mails per round] [threads] [rounds]
 * </pre>
 */
public final class ResponsePipelineBenchmark {
    private ResponsePipelineBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int n = ResponsePipeline.arg(args, 0, 3000);
        int threads = ResponsePipeline.arg(args, 1, 8);
        int rounds = ResponsePipeline.arg(args, 2, 3);
        try (ResponsePipeline pipeline = new ResponsePipeline()) {
            ResponseProcessor proc = pipeline.processor(PluginMetrics.NONE, new ArrayList<>());
            List<List<byte[]>> batches = new ArrayList<>();
            for (int round = 0; round < rounds; round++) {
                batches.add(pipeline.responses(n));
            }
            for (int round = 0; round < rounds; round++) {
                ResponsePipeline.Stage process = pipeline.process(proc, batches.get(round), threads);
                ResponsePipeline.Stage complete = pipeline.complete();
                System.out.printf("round %d CPU per mail: process %.2f ms, claim+complete %.2f ms%n", round,
                        process.cpuMsPerMail(), complete.cpuMsPerMail());
                System.out.printf("round %d: process %.0f/s (%.2f ms each, %d threads); claim+complete %d at %.0f/s%n",
                        round, process.perSecond(), process.wallNanos() / 1e6 / n * threads, threads, complete.mails(),
                        complete.perSecond());
            }
        }
    }
}
