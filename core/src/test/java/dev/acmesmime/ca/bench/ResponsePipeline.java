package dev.acmesmime.ca.bench;

import java.lang.management.ManagementFactory;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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

import com.sun.management.OperatingSystemMXBean;

import dev.acmesmime.ca.InboundResponse;
import dev.acmesmime.ca.ResponseProcessor;
import dev.acmesmime.dkim.DkimKeyResolver;
import dev.acmesmime.dkim.DkimKeys;
import dev.acmesmime.dkim.DkimPolicyVerifier;
import dev.acmesmime.dkim.DkimSigner;
import dev.acmesmime.metrics.PluginMetrics;
import dev.acmesmime.rfc8823.MessageKind;
import dev.acmesmime.store.AcmeSmimeStore;
import dev.acmesmime.store.AuditEvent;
import dev.acmesmime.store.AuditRecord;
import dev.acmesmime.store.IssuedChallenge;
import dev.acmesmime.store.OutboxItem;
import dev.acmesmime.store.StoreSettings;
import dev.acmesmime.testing.TestKeys;

/**
 * The CA role's work per response, in process, for the benchmarks of this package: an embedded H2
 * store in a temporary directory, DKIM-signed responses to challenges recorded as sent (fresh ones
 * for each batch), {@link ResponseProcessor#process} by several threads (as James's spool runs the
 * forwarder mailet), then the outbox's claim and completion with its audit record (as the delivery
 * worker does after a 2xx). Measures process CPU time and wall time of each stage.
 */
final class ResponsePipeline implements AutoCloseable {
    private static final OperatingSystemMXBean OS = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private final AcmeSmimeStore store;
    private final KeyPair key = TestKeys.rsa(2048);
    private final DkimSigner signer = DkimSigner.builder().privateKey(key.getPrivate()).selector("s").build();
    private int issued;

    /** CPU and wall time of one stage over {@code mails} mails. */
    record Stage(int mails, long cpuNanos, long wallNanos) {
        double cpuMsPerMail() {
            return cpuNanos / 1e6 / mails;
        }

        double perSecond() {
            return mails / (wallNanos / 1e9);
        }
    }

    ResponsePipeline() throws Exception {
        store = AcmeSmimeStore.builder(StoreSettings.fromProperties(new Properties(),
                Files.createTempDirectory("acme-smime-pipeline"))).open();
    }

    /**
     * A processor on this pipeline's store with its own DKIM verifier; both report to {@code metrics}
     * through whichever builder method takes a {@link PluginMetrics} (none: they record nothing).
     * Returns the processor; {@code attached} receives the builders that took the metrics.
     */
    ResponseProcessor processor(PluginMetrics metrics, List<String> attached) {
        DkimPolicyVerifier.Builder dkim = DkimPolicyVerifier.builder().keyResolver(DkimKeyResolver.ofRecords(
                Map.of("s._domainkey.example.test", DkimKeys.keyRecord(key.getPublic()))));
        if (attach(dkim, metrics)) {
            attached.add("DkimPolicyVerifier.Builder");
        }
        ResponseProcessor.Builder proc = ResponseProcessor.builder().store(store).dkim(dkim.build());
        if (attach(proc, metrics)) {
            attached.add("ResponseProcessor.Builder");
        }
        return proc.build();
    }

    /** Records {@code n} fresh challenges as sent and returns their DKIM-signed responses. */
    List<byte[]> responses(int n) {
        Instant now = Instant.now();
        List<byte[]> mails = new ArrayList<>(n);
        for (int k = 0; k < n; k++) {
            int i = issued++;
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
        return mails;
    }

    /** {@code proc.process} of every mail of {@code batch}, by {@code threads} threads. */
    Stage process(ResponseProcessor proc, List<byte[]> batch, int threads) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            AtomicInteger next = new AtomicInteger();
            long t0 = System.nanoTime();
            long c0 = OS.getProcessCpuTime();
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
            return new Stage(batch.size(), OS.getProcessCpuTime() - c0, System.nanoTime() - t0);
        } finally {
            pool.shutdown();
        }
    }

    /** Claims and completes everything in the outbox, with the audit record of a delivery. */
    Stage complete() {
        long t0 = System.nanoTime();
        long c0 = OS.getProcessCpuTime();
        int done = 0;
        for (List<OutboxItem> items; !(items = store.inTransaction(() -> store.outbox().claimDue(50))).isEmpty(); ) {
            for (OutboxItem item : items) {
                store.inTransaction(() -> {
                    store.outbox().complete(item.id());
                    store.audit().append(AuditRecord.entry(AuditEvent.FORWARD_DELIVERED).outcome("valid")
                            .detail("outbox item " + item.id()));
                    return null;
                });
                done++;
            }
        }
        return new Stage(Math.max(done, 1), OS.getProcessCpuTime() - c0, System.nanoTime() - t0);
    }

    /** The benchmark's {@code i}th command-line argument as a number, or {@code otherwise}. */
    static int arg(String[] args, int i, int otherwise) {
        return args.length > i ? Integer.parseInt(args[i]) : otherwise;
    }

    /**
     * Hands {@code metrics} to the builder's method that takes a {@link PluginMetrics}, if it has
     * one: the benchmark then measures whatever metrics calls the code makes, without naming a
     * method that may not exist yet.
     */
    private static boolean attach(Object builder, PluginMetrics metrics) {
        for (Method m : builder.getClass().getMethods()) {
            if (m.getParameterCount() == 1 && m.getParameterTypes()[0] == PluginMetrics.class) {
                try {
                    m.invoke(builder, metrics);
                    return true;
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(m.toString(), e);
                }
            }
        }
        return false;
    }

    @Override
    public void close() {
        store.close();
    }
}
