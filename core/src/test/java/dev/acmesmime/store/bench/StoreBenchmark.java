package dev.acmesmime.store.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import dev.acmesmime.store.AcmeSmimeStore;
import dev.acmesmime.store.OutboxItem;
import dev.acmesmime.store.PostgresTestServer;
import dev.acmesmime.store.StoreSettings;

/**
 * Throughput of the two hot store operations, on embedded H2 and on PostgreSQL (not a test; no
 * assertions). Measures, for one node and for two nodes (two pools) working at once:
 * <ul>
 * <li>claiming an answered challenge (one INSERT, one commit);</li>
 * <li>a forward's life in the outbox: enqueue, claim, complete (three commits).</li>
 * </ul>
 * Run from the repository root:
 * <pre>
 * mvn -B -q -o -pl core test-compile dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt -Dmdep.includeScope=test
 * java -cp core/target/classes:core/target/test-classes:$(cat /tmp/cp.txt) dev.acmesmime.store.bench.StoreBenchmark [seconds]
 * </pre>
 * PostgreSQL comes from {@code ACME_SMIME_PG_URL} or a throwaway cluster ({@code .ci/postgres.sh}).
 */
public final class StoreBenchmark {
    private StoreBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        Path dir = Files.createTempDirectory("acme-smime-bench");
        System.out.printf("%-11s %-26s %6s %12s%n", "database", "operation", "nodes", "ops/s");
        run("h2", "jdbc:h2:file:" + dir.resolve("store"), "acme_smime", dir, seconds);
        String pg = PostgresTestServer.createDatabase();
        try {
            run("postgresql", pg, null, dir, seconds);
        } finally {
            PostgresTestServer.dropDatabase(pg);
        }
    }

    private static void run(String kind, String url, String user, Path dir, int seconds) throws Exception {
        StoreSettings settings = new StoreSettings(url, user, null, 4, dir.resolve(kind + ".key"), true,
                Duration.ofDays(825), "bench-a");
        try (AcmeSmimeStore a = AcmeSmimeStore.builder(settings).open();
             AcmeSmimeStore b = AcmeSmimeStore.builder(settings.withNodeName("bench-b")).open()) {
            AtomicInteger seq = new AtomicInteger();
            Op claim = s -> s.answeredChallenges().claim("<bench-" + seq.incrementAndGet() + "@ca.example>",
                    "token-part1", "alice@org.example");
            Op forward = s -> {
                s.outbox().enqueue("https://ca.example/forward", "{\"n\":1}".getBytes());
                for (OutboxItem item : s.outbox().claimDue(1)) {
                    s.outbox().complete(item.id());
                }
            };
            measure(kind, "claim answered challenge", claim, List.of(a), 1); // warm-up
            report(kind, "claim answered challenge", measure(kind, "", claim, List.of(a), seconds), 1);
            report(kind, "claim answered challenge", measure(kind, "", claim, List.of(a, b), seconds), 2);
            measure(kind, "outbox", forward, List.of(a), 1); // warm-up
            report(kind, "enqueue+claim+complete", measure(kind, "", forward, List.of(a), seconds), 1);
            report(kind, "enqueue+claim+complete", measure(kind, "", forward, List.of(a, b), seconds), 2);
        }
    }

    @FunctionalInterface
    private interface Op {
        void run(AcmeSmimeStore store);
    }

    private static double measure(String kind, String what, Op op, List<AcmeSmimeStore> nodes, int seconds)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(nodes.size());
        try {
            long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
            long start = System.nanoTime();
            List<Future<Integer>> counts = new ArrayList<>();
            for (AcmeSmimeStore node : nodes) {
                counts.add(pool.submit(() -> {
                    int n = 0;
                    while (System.nanoTime() < end) {
                        op.run(node);
                        n++;
                    }
                    return n;
                }));
            }
            long total = 0;
            for (Future<Integer> f : counts) {
                total += f.get();
            }
            return total / ((System.nanoTime() - start) / 1e9);
        } finally {
            pool.shutdown();
        }
    }

    private static void report(String kind, String what, double opsPerSecond, int nodes) {
        System.out.printf(Locale.ROOT, "%-11s %-26s %6d %12.0f%n", kind, what, nodes, opsPerSecond);
    }
}
