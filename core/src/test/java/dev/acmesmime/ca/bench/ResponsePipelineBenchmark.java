package dev.acmesmime.ca.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import dev.acmesmime.dkim.DkimKeyResolver;
import dev.acmesmime.dkim.DkimKeys;
import dev.acmesmime.dkim.DkimPolicyVerifier;
import dev.acmesmime.dkim.DkimSigner;
import dev.acmesmime.ca.InboundResponse;
import dev.acmesmime.ca.ResponseProcessor;
import dev.acmesmime.rfc8823.MessageKind;
import dev.acmesmime.store.AcmeSmimeStore;
import dev.acmesmime.store.IssuedChallenge;
import dev.acmesmime.store.OutboxItem;
import dev.acmesmime.store.StoreSettings;
import dev.acmesmime.testing.TestKeys;

/**
 * CPU cost of the CA role's work per response, in process, on the default store (embedded H2),
 * without James, SMTP or HTTP (not a test; no assertions): {@link ResponseProcessor#process} of
 * DKIM-signed responses by several threads (as James's spool runs the forwarder mailet), then the
 * outbox's claim and completion with its audit record (as the delivery worker does after a 2xx).
 * Each round uses fresh challenges; the first rounds warm the JIT. Prints, per round, the process
 * CPU time per mail and the throughput. Run from the repository root:
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
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 3000;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        Path home = Files.createTempDirectory("acme-smime-pipeline");
        KeyPair kp = TestKeys.rsa(2048);
        DkimSigner signer = DkimSigner.builder().privateKey(kp.getPrivate()).selector("s").build();
        Properties p = new Properties();
        try (AcmeSmimeStore store = AcmeSmimeStore.builder(StoreSettings.fromProperties(p, home)).open()) {
            ResponseProcessor proc = ResponseProcessor.builder().store(store)
                    .dkim(DkimPolicyVerifier.builder().keyResolver(DkimKeyResolver.ofRecords(
                            Map.of("s._domainkey.example.test", DkimKeys.keyRecord(kp.getPublic())))).build())
                    .build();
            Instant now = Instant.now();
            List<byte[]> mails = new ArrayList<>();
            for (int i = 0; i < rounds * n; i++) {
                String user = "u" + i + "@example.test";
                String t1 = String.format("%044d", i).replace('0', 'Q').substring(0, 36) + String.format("%08d", i);
                String cid = "<c-" + i + "@ca.example>";
                store.issuedChallenges().record(IssuedChallenge.sent(cid, t1, user, "acme@ca.example", null, now,
                        now.plus(Duration.ofHours(24))));
                String raw = ("From: " + user + "\nTo: acme@ca.example\nSubject: Re: ACME: " + t1
                        + "\nDate: Sat, 28 Nov 2026 10:01:00 +0000\nMessage-ID: <r-" + i + "@example.test>\nIn-Reply-To: "
                        + cid + "\nReferences: " + cid + "\nMIME-Version: 1.0\nContent-Type: text/plain; charset=us-ascii\n\n"
                        + "-----BEGIN ACME RESPONSE-----\nLoqXcYV8q5ONbJQxbmR7SCTNo3tiAXDfowyjxAjEuX0\n-----END ACME RESPONSE-----\n")
                        .replace("\n", "\r\n");
                mails.add(signer.sign(raw.getBytes(StandardCharsets.US_ASCII), MessageKind.RESPONSE));
            }
            for (int round = 0; round < rounds; round++) {
                List<byte[]> batch = mails.subList(round * n, round * n + n);
                ExecutorService pool = Executors.newFixedThreadPool(threads);
                AtomicInteger next = new AtomicInteger();
                long t0 = System.nanoTime();
                long c0 = os.getProcessCpuTime();
                List<Future<?>> fs = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    fs.add(pool.submit(() -> {
                        for (int i; (i = next.getAndIncrement()) < batch.size(); ) {
                            proc.process(new InboundResponse(batch.get(i), "u@example.test", List.of("acme@ca.example"),
                                    "127.0.0.1", "helo"));
                        }
                    }));
                }
                for (Future<?> f : fs) {
                    f.get();
                }
                long t1 = System.nanoTime();
                long c1 = os.getProcessCpuTime();
                int done = 0;
                for (List<OutboxItem> items; !(items = store.inTransaction(() -> store.outbox().claimDue(50))).isEmpty(); ) {
                    for (OutboxItem item : items) {
                        store.inTransaction(() -> {
                            store.outbox().complete(item.id());
                            store.audit().append(dev.acmesmime.store.AuditRecord.entry(dev.acmesmime.store.AuditEvent.FORWARD_DELIVERED).outcome("valid")
                                    .detail("outbox item " + item.id()));
                            return null;
                        });
                        done++;
                    }
                }
                long t2 = System.nanoTime();
                long c2 = os.getProcessCpuTime();
                System.out.printf("round %d CPU per mail: process %.2f ms, claim+complete %.2f ms%n", round,
                        (c1 - c0) / 1e6 / n, (c2 - c1) / 1e6 / n);
                System.out.printf("round %d: process %.0f/s (%.2f ms each, %d threads); claim+complete %d at %.0f/s%n", round,
                        n / ((t1 - t0) / 1e9), (t1 - t0) / 1e6 / n * threads, threads, done, done / ((t2 - t1) / 1e9));
                pool.shutdown();
            }
        }
    }
}
