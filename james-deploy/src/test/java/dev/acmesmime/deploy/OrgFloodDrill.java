package dev.acmesmime.deploy;

import static dev.acmesmime.deploy.CaMails.text;
import static dev.acmesmime.deploy.CaJames.JSON;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.acmesmime.dkim.DkimSigner;
import dev.acmesmime.james.it.OrgJames;
import dev.acmesmime.rfc8823.MessageKind;
import dev.acmesmime.testing.TestChallenge;
import dev.acmesmime.testing.TestKeys;
import dev.acmesmime.testing.WebAdminClient.Http;

/**
 * Issue 14 §5's flood drill of the organisation role, on a real James 3.8.1 process ({@code bin/james},
 * conf/org, -Xmx384m, the per-mailbox and per-CA rate limits lifted so that the genuine challenges are
 * not limited): {@code drill.forged} forged challenges (default 10,000) from the CA's address to
 * {@value #TARGETS} mailboxes, in equal thirds unsigned, DKIM-signed with a key that is not the CA's, and validly signed but
 * answering no pending challenge, sent over 4 SMTP connections as fast as James takes them. Meanwhile,
 * every {@code drill.genuineMillis} ms (default 100; less often when registering and sending one takes longer)
 * until James's spool has processed the flood, a genuine challenge for a pending challenge
 * registered over WebAdmin just before; each one's time from the end of its SMTP DATA to its response's
 * arrival at the SMTP sink (RemoteDelivery's gateway) is measured, also before the flood for comparison.
 * Heap in use after a full GC ({@link ProcessStats}) before, halfway through (the flood pauses for the
 * jcmd), after, and after the forged mails (delivered to the in-memory INBOX, conf/org's
 * {@code onRejected=deliver}) are deleted. Goals: genuine p99 ≤ 1 s during the flood, heap bounded. The genuine
 * ones and their responses take conf/org's challenge lane ({@code ExpectedChallengeHook}); its counters are reported.
 * <p>
 * A drill, not a test: it runs only with {@code -Dacme.drill=true} ({@code benchmarks/drills.sh flood}).
 * The report goes to stdout and {@code target/drill-flood.txt}.
 */
@EnabledIfSystemProperty(named = CaOutageDrill.DRILL_PROPERTY, matches = "true")
class OrgFloodDrill {

    /**
     * The forged challenges go round this many mailboxes: James 3.8.1's in-memory mailbox searches the whole
     * mailbox at each local delivery (SimpleMessageSearchIndex), so 10,000 mails to one mailbox measure that,
     * not the responder (3 deliveries/s after a few thousand, in the first run of this drill).
     */
    static final int TARGETS = 100;
    static final String THUMBPRINT = "LPJNul-wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ";
    static final String TOKEN_PART2 = "DGyRejmCefe7v4NfDGDKfA";
    /** Genuine challenges go round these mailboxes, so that one is reused only after seconds. */
    static final int MAILBOXES = 300;

    final int forged = Integer.getInteger("drill.forged", 10_000);
    final int genuineMillis = Integer.getInteger("drill.genuineMillis", 100);
    /** Genuine challenge's subject of the response → System.nanoTime() after its SMTP DATA. */
    final Map<String, Long> sentAt = new ConcurrentHashMap<>();

    /** With conf/org's challenge lane as shipped, then without it (the handler removed): the baseline of the same run. */
    @ParameterizedTest(name = "challenge lane {0}")
    @ValueSource(booleans = {true, false})
    void floodOfForgedChallenges(boolean lane, @TempDir Path work) throws Exception {
        // -Ddrill.baseline=false: the lane only, e.g. for a larger flood that asks only about the heap
        assumeTrue(lane || Boolean.parseBoolean(System.getProperty("drill.baseline", "true")), "no baseline asked");
        OrgRoleProcess.Env env = OrgRoleProcess.Env.start();
        try (OrgRoleProcess james = new OrgRoleProcess(work, env, true, 0, 0, "-Xmx384m -XX:+UseSerialGC", "",
                env.sink().getServer().getPort(), (conf, home) -> withoutLane(conf, lane))) {
            createUsers(james);
            DkimSigner ca = DkimSigner.builder().privateKey(james.caKey.pkcs8()).selector("ca").build();
            List<String> forgedMails = forgedMails(ca);
            genuine(james, ca, 50, null); // warm-up
            List<String> quiet = genuine(james, ca, 100, null);
            long heapBefore = ProcessStats.heapAfterGc(james.pid());

            AtomicBoolean flooding = new AtomicBoolean(true);
            ExecutorService pool = Executors.newSingleThreadExecutor();
            Future<List<String>> during = pool.submit(() -> genuine(james, ca, Integer.MAX_VALUE, flooding));
            BenchSender sender = new BenchSender(james.smtpPort);
            int half = forgedMails.size() / 2;
            long floodStart = System.nanoTime();
            SpoolWatch spool = SpoolWatch.start(james);
            flood(sender, forgedMails.subList(0, half), 0);
            long heapDuring = ProcessStats.heapAfterGc(james.pid());
            flood(sender, forgedMails.subList(half, forgedMails.size()), half);
            double floodSeconds = (System.nanoTime() - floodStart) / 1e9;
            awaitEmptySpool(james);
            int spoolMax = spool.stop();
            double drainSeconds = (System.nanoTime() - floodStart) / 1e9;
            flooding.set(false);
            List<String> flood = during.get();
            pool.shutdown();

            long heapAfter = ProcessStats.heapAfterGc(james.pid());
            for (int i = 0; i < TARGETS; i++) {
                Http cleared = james.webAdmin().send("DELETE", "/users/" + target(i) + "/mailboxes", "");
                assertThat(cleared.status()).as(cleared.body()).isEqualTo(204);
            }
            long heapCleared = ProcessStats.heapAfterGc(james.pid());
            // what stays after the mailboxes are gone: tells a bound (caches) from a leak (grows with the flood)
            String largest = ProcessStats.largestClasses(james.pid(), 15);

            String report = String.format(Locale.ROOT, "organisation-role flood drill: %d forged challenges (unsigned,"
                            + " wrong key, no pending challenge) taken by SMTP in %.1f s = %.0f/s over 4 connections,"
                            + " spool empty after %.1f s = %.0f/s processed; a genuine challenge every %d ms at most,"
                            + " until the spool is empty%n%s%n%s%nheap after full GC: before %d MiB, halfway %d MiB, after %d MiB,"
                            + " after deleting the %d forged mailboxes %d MiB%nchallenge lane %s: %s; spool at most %d mails%n",
                    forgedMails.size(), floodSeconds, forgedMails.size() / floodSeconds, drainSeconds,
                    forgedMails.size() / drainSeconds, genuineMillis,
                    latencies("genuine, before the flood", james, quiet), latencies("genuine, during the flood", james, flood),
                    heapBefore >> 20, heapDuring >> 20, heapAfter >> 20, TARGETS, heapCleared >> 20, lane ? "on" : "off (handler removed)",
                    laneCounters(james), spoolMax);
            report += "largest classes after deleting the forged mailboxes:\n" + largest + "\n";
            System.out.println(report);
            Files.writeString(Path.of("target/drill-flood.txt"), report, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            assertThat(flood).as("genuine challenges sent during the flood").isNotEmpty();
        }
    }

    private static void createUsers(OrgRoleProcess james) throws Exception {
        List<String> users = new ArrayList<>();
        for (int i = 0; i < MAILBOXES; i++) {
            users.add(mailbox(i));
        }
        for (int i = 0; i < TARGETS; i++) {
            users.add(target(i));
        }
        for (String user : users) {
            Http put = james.webAdmin().send("PUT", "/users/" + user, "{\"password\":\"secret\"}");
            assertThat(put.status()).as(put.body()).isEqualTo(204);
        }
    }

    private static String mailbox(int i) {
        return "g" + i + "@" + OrgRoleProcess.DOMAIN;
    }

    private static String target(int i) {
        return "f" + i + "@" + OrgRoleProcess.DOMAIN;
    }

    /** Thirds: unsigned, signed with a key that is not the CA's, signed by the CA without a pending challenge. */
    private List<String> forgedMails(DkimSigner ca) {
        DkimSigner wrongKey = DkimSigner.builder().privateKey(TestKeys.rsa(2048).getPrivate()).selector("ca").build();
        List<String> mails = new ArrayList<>();
        for (int i = 0; i < forged; i++) {
            byte[] raw = TestChallenge.builder().from(OrgRoleProcess.CA).to(target(i % TARGETS)).build();
            mails.add(text(switch (i % 3) {
                case 0 -> raw;
                case 1 -> wrongKey.sign(raw, MessageKind.CHALLENGE);
                default -> ca.sign(raw, MessageKind.CHALLENGE);
            }));
        }
        return mails;
    }

    private static void flood(BenchSender sender, List<String> mails, int first) throws Exception {
        List<String> to = IntStream.range(first, first + mails.size()).mapToObj(i -> target(i % TARGETS)).toList();
        sender.send(OrgRoleProcess.CA, to, mails, null, null, null, 0);
    }

    /**
     * Genuine challenges, one every {@link #genuineMillis} ms: {@code count} of them, or while {@code going}
     * is set. Each is registered as pending over WebAdmin, signed by the CA, then sent; returns their
     * responses' subjects.
     */
    private List<String> genuine(OrgRoleProcess james, DkimSigner ca, int count, AtomicBoolean going) throws Exception {
        List<String> subjects = new ArrayList<>();
        long next = System.nanoTime();
        for (int i = 0; i < count && (going == null || going.get()); i++) {
            String mailbox = mailbox(i % MAILBOXES);
            james.registerChallenge(mailbox, "https://ca.test/acme/chall/drill-" + System.nanoTime(), TOKEN_PART2, THUMBPRINT);
            TestChallenge c = TestChallenge.builder().from(OrgRoleProcess.CA).to(mailbox);
            byte[] raw = ca.sign(c.build(), MessageKind.CHALLENGE);
            String subject = "Re: ACME: " + c.token();
            OrgJames.send(james.smtpPort, OrgRoleProcess.CA, mailbox, raw);
            sentAt.put(subject, System.nanoTime());
            subjects.add(subject);
            next += TimeUnit.MILLISECONDS.toNanos(genuineMillis);
            long wait = next - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000);
            }
        }
        return subjects;
    }

    /** The challenge lane's counters from WebAdmin's {@code /metrics} (mails taken, mails it had no room for). */
    private static String laneCounters(OrgRoleProcess james) throws Exception {
        return james.webAdmin().getOk("/metrics").lines().filter(l -> l.startsWith("acme_smime_org_lane_"))
                .collect(Collectors.joining(", "));
    }

    /** The node's conf/org as shipped, or without its {@code ExpectedChallengeHook} handler. */
    private static void withoutLane(Path conf, boolean lane) throws IOException {
        if (!lane) {
            Path smtp = conf.resolve("smtpserver.xml");
            String xml = Files.readString(smtp);
            String stripped = xml.replaceAll("(?s)<handler class=\"dev\\.acmesmime\\.james\\.smtp\\.ExpectedChallengeHook\">.*?</handler>", "");
            if (stripped.equals(xml)) {
                throw new IllegalStateException("no ExpectedChallengeHook handler in " + smtp);
            }
            Files.writeString(smtp, stripped);
        }
    }

    /** Waits until James's spool queue is empty (WebAdmin {@code GET /mailQueues/spool}), at most 30 minutes. */
    private static void awaitEmptySpool(OrgRoleProcess james) throws Exception {
        await().atMost(Duration.ofMinutes(30)).pollInterval(Duration.ofMillis(500)).until(() ->
                JSON.readTree(james.webAdmin().getOk("/mailQueues/spool")).path("size").asInt(-1) == 0);
    }

    /** p50/p99/max of SMTP DATA end → response at the sink; those with no response after 5 minutes count as unanswered. */
    private String latencies(String name, OrgRoleProcess james, List<String> subjects) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (System.nanoTime() < deadline && !james.sink.arrivals.keySet().containsAll(subjects)) {
            Thread.sleep(200);
        }
        List<Long> ms = subjects.stream().filter(james.sink.arrivals::containsKey)
                .map(s -> (james.sink.arrivals.get(s) - sentAt.get(s)) / 1_000_000).sorted().toList();
        if (ms.isEmpty()) {
            return String.format(Locale.ROOT, "%-28s %d sent, none answered", name, subjects.size());
        }
        return String.format(Locale.ROOT, "%-28s %d sent, %d answered: p50 %d ms, p99 %d ms, max %d ms", name,
                subjects.size(), ms.size(), ms.get(ms.size() / 2), ms.get((int) Math.ceil(ms.size() * 0.99) - 1),
                ms.get(ms.size() - 1));
    }
}
