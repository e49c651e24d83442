package dev.acmesmime.store.bench;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import dev.acmesmime.store.AcmeSmimeStore;
import dev.acmesmime.store.AuditEvent;
import dev.acmesmime.store.AuditRecord;
import dev.acmesmime.store.Enrolment;
import dev.acmesmime.store.EnrolmentStep;
import dev.acmesmime.store.EnrolmentStore;
import dev.acmesmime.store.PostgresTestServer;
import dev.acmesmime.store.SecretBytes;
import dev.acmesmime.store.StoreSettings;

/**
 * The organisation store's write pattern for N mailboxes enrolled at once (not a test; no assertions): what the
 * user scan, the claim loop, two engine turns and the responder write per mailbox, on {@code threads} threads,
 * with no CA and no mail in between. Separates the store's share of issue 15's enrolment benchmark from the
 * rest. Reports wall time, mailboxes per minute, the H2 file's size and the heap after a full GC.
 * <pre>
 * mvn -B -q -o -pl core test-compile dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt -Dmdep.includeScope=test
 * java -cp core/target/classes:core/target/test-classes:$(cat /tmp/cp.txt) \
 *     dev.acmesmime.store.bench.EnrolmentStoreBenchmark N threads [h2|postgresql] [extra H2 URL settings]
 * </pre>
 */
public final class EnrolmentStoreBenchmark {
    private static final String PEM = pem(3000);
    private static final Duration LEASE = Duration.ofMinutes(5);
    /** As the user scan tells the engine (UsersScanner.BATCH). */
    private static final int SCAN_BATCH = 200;

    private EnrolmentStoreBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 16;
        String kind = args.length > 2 ? args[2] : "h2";
        String extra = args.length > 3 ? args[3] : "";
        Path dir = Files.createTempDirectory("acme-smime-enrolment-store-bench");
        String url = kind.equals("h2") ? "jdbc:h2:file:" + dir.resolve("store") + extra : PostgresTestServer.createDatabase();
        StoreSettings settings = new StoreSettings(url, kind.equals("h2") ? "acme_smime" : null, null, 10,
                dir.resolve("key"), true, Duration.ofDays(825), "bench");
        try (AcmeSmimeStore store = AcmeSmimeStore.builder(settings).open()) {
            long heapBefore = heapAfterGc();
            long t0 = System.nanoTime();
            for (int from = 0; from < n; from += SCAN_BATCH) {
                int first = from;
                store.inTransaction(() -> {
                    for (int i = first; i < Math.min(n, first + SCAN_BATCH); i++) {
                        String box = "user" + i + "@org.example";
                        if (store.enrolments().find(box).isEmpty()) {
                            store.enrolments().save(Enrolment.of(box).withProfile("main")
                                    .withSchedule(0, Instant.now()));
                        }
                    }
                    return null;
                });
            }
            long t1 = System.nanoTime();
            AtomicInteger issued = new AtomicInteger();
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            for (int t = 0; t < threads; t++) {
                String owner = "bench/" + t;
                pool.execute(() -> work(store, owner, issued, n));
            }
            pool.shutdown();
            pool.awaitTermination(1, TimeUnit.HOURS);
            long t2 = System.nanoTime();
            long heapAfter = heapAfterGc();
            double scan = (t1 - t0) / 1e9;
            double all = (t2 - t0) / 1e9;
            System.out.printf("%s%s N=%d threads=%d: scan %.1f s, all %.1f s = %.0f mailboxes/min; issued %d;"
                            + " files %.1f MB; heap after GC %+.1f MB%n", kind, extra, n, threads, scan, all,
                    n * 60 / all, issued.get(), size(dir) / 1e6, (heapAfter - heapBefore) / 1e6);
        } finally {
            if (!kind.equals("h2")) {
                PostgresTestServer.dropDatabase(url);
            }
        }
    }

    private static void work(AcmeSmimeStore store, String owner, AtomicInteger issued, int n) {
        EnrolmentStore e = store.enrolments();
        while (issued.get() < n) {
            List<Enrolment> claimed = e.claimDue(Instant.now(), owner, LEASE, 1);
            if (claimed.isEmpty()) {
                sleep();
                continue;
            }
            Enrolment row = claimed.get(0);
            if (row.step() == EnrolmentStep.NONE) {
                firstTurn(store, owner, row);
            } else {
                secondTurn(store, owner, row);
                issued.incrementAndGet();
            }
            e.release(row.mailbox(), owner);
        }
    }

    /** As MailboxEnrolment stores each step: the row, its audit record and the lease in one commit. */
    private static Enrolment step(AcmeSmimeStore store, String owner, Enrolment next, AuditRecord.Entry audit,
                                  boolean endsTurn) {
        EnrolmentStore e = store.enrolments();
        return store.inTransaction(() -> {
            Enrolment saved = e.saveHeld(next, owner).orElseThrow();
            if (audit != null) {
                store.audit().append(audit);
            }
            if (endsTurn) {
                e.release(saved.mailbox(), owner);
            } else {
                e.extendLease(saved.mailbox(), owner, Instant.now().plus(LEASE));
            }
            return saved;
        });
    }

    private static void firstTurn(AcmeSmimeStore store, String owner, Enrolment row) {
        Enrolment r = step(store, owner, row.withPrivateKey(SecretBytes.of(new byte[138]))
                .withStep(EnrolmentStep.KEY_READY), null, false);
        URI challenge = URI.create("https://ca.example/chall/" + r.mailbox());
        r = step(store, owner, r.withStep(EnrolmentStep.ORDERED)
                .withOrderUrl(URI.create("https://ca.example/order/" + r.mailbox()))
                .withAccountUrl(URI.create("https://ca.example/acct/1")).withChallengeUrl(challenge),
                AuditRecord.entry(AuditEvent.ENROLMENT_ORDERED).address(r.mailbox()).outcome("main"), false);
        r = step(store, owner, r.withStep(EnrolmentStep.CHALLENGE_REGISTERED)
                .withSchedule(0, Instant.now().plusSeconds(60)), null, true);
        // the responder: answer claimed once, audited, the enrolment woken
        store.answeredChallenges().claim("<" + r.mailbox() + "@ca.example>", "part1", r.mailbox());
        store.audit().append(AuditRecord.entry(AuditEvent.ENROLMENT_CHALLENGE_POSTED).address(r.mailbox()));
        store.enrolments().wake(r.mailbox(), challenge, Instant.now());
    }

    private static void secondTurn(AcmeSmimeStore store, String owner, Enrolment row) {
        Enrolment r = step(store, owner, row.withStep(EnrolmentStep.ANSWERED), null, false);
        r = step(store, owner, r.withStep(EnrolmentStep.POSTED),
                AuditRecord.entry(AuditEvent.ENROLMENT_CHALLENGE_POSTED).address(r.mailbox()), false);
        r = step(store, owner, r.withStep(EnrolmentStep.VALID), null, false);
        Instant now = Instant.now();
        step(store, owner, r.withStep(EnrolmentStep.ISSUED).withCertificate(PEM, "0a1b2c", "aki.serial", now,
                now.plus(Duration.ofDays(90))).withSchedule(0, now.plus(Duration.ofDays(60))),
                AuditRecord.entry(AuditEvent.ENROLMENT_ISSUED).address(r.mailbox()).token("0a1b2c"), true);
    }

    private static void sleep() {
        try {
            Thread.sleep(5);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    private static long heapAfterGc() {
        System.gc();
        System.gc();
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }

    private static long size(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    private static String pem(int length) {
        byte[] bytes = new byte[length * 3 / 4];
        new SecureRandom().nextBytes(bytes);
        return "-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder().encodeToString(bytes)
                + "\n-----END CERTIFICATE-----\n";
    }
}
