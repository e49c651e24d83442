package dev.acmesmime.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.acmesmime.acme.KeyType;
import dev.acmesmime.testing.WebAdminClient;
import dev.acmesmime.testing.WebAdminClient.Http;

/**
 * Issue 15's enrolment benchmark (a benchmark, not a test: it runs only with
 * {@code -Dacme.bench.enrolment=true}; {@code benchmarks/enrolment.sh [N] [--key ec256|rsa2048]} runs it).
 * <ol>
 * <li>Baseline: the test CA's own issuance rate with a client answering the challenges directly
 *     ({@link DirectIssuance}), {@code acme.bench.n} certificates, as many client threads as the enrolment's
 *     concurrency, in its own {@code bin/test-ca} process, stopped before the enrolment starts.</li>
 * <li>Enrolment: the three processes of {@link BenchmarkChain}. The clock starts before the first of N
 *     {@code PUT /users/...} on the organisation James and stops when {@code GET /acme-smime/enrolments?status=issued}
 *     (paged) counts N. CPU per mailbox of each process ({@code /proc/<pid>/stat}, utime + stime, difference ÷ N)
 *     and both James's heap after a full GC before the users are created and after the last certificate.</li>
 * </ol>
 * Settings (system properties): {@code acme.bench.n} (1000), {@code acme.bench.key} ({@code ec256} or
 * {@code rsa2048}), {@code acme.bench.concurrency} (32), {@code acme.bench.ordersPerMinute} (100000),
 * {@code acme.bench.pollSeconds} (1), {@code acme.bench.challengeMailDelay} (the test CA's
 * {@code fault.challengeMailDelay}, {@code 0s}), {@code acme.bench.challengeLifetime} (its {@code challenge.lifetime},
 * {@code 24h}), {@code acme.bench.retrySeconds} ({@code enrolment.retry.initialSeconds}, 60),
 * {@code acme.bench.timeoutMinutes} (60), {@code acme.bench.stallSeconds} (120: stop waiting when no certificate
 * came for that long; the rate is then taken up to the last certificate), {@code acme.bench.baseline}
 * (true), {@code acme.james.javaOpts} (both James; default {@code -Xmx384m -XX:+UseSerialGC}). The report
 * goes to stdout and to {@code james-deploy/target/benchmark-enrolment-<key>-<n>.txt}.
 */
@EnabledIfSystemProperty(named = "acme.bench.enrolment", matches = "true")
class EnrolmentBenchmark {

    static final int N = Integer.getInteger("acme.bench.n", 1000);
    static final String KEY = System.getProperty("acme.bench.key", "ec256");
    static final int CONCURRENCY = Integer.getInteger("acme.bench.concurrency", 32);
    static final int ORDERS_PER_MINUTE = Integer.getInteger("acme.bench.ordersPerMinute", 100_000);
    static final int POLL_SECONDS = Integer.getInteger("acme.bench.pollSeconds", 1);
    static final Duration STALL = Duration.ofSeconds(Integer.getInteger("acme.bench.stallSeconds", 120));
    static final Duration TIMEOUT = Duration.ofMinutes(Integer.getInteger("acme.bench.timeoutMinutes", 60));
    static final String MAIL_DELAY = System.getProperty("acme.bench.challengeMailDelay", "0s");
    static final String CHALLENGE_LIFETIME = System.getProperty("acme.bench.challengeLifetime", "24h");
    static final int RETRY_SECONDS = Integer.getInteger("acme.bench.retrySeconds", 60);
    static final String JAVA_OPTS = System.getProperty("acme.james.javaOpts", "-Xmx384m -XX:+UseSerialGC");
    static final ObjectMapper JSON = new ObjectMapper();

    private final StringBuilder report = new StringBuilder();
    /** When the issued count last grew (System.nanoTime()). */
    private long lastIssue;

    @Test
    void enrolNMailboxes() throws Exception {
        KeyType keyType = switch (KEY) {
            case "ec256" -> KeyType.EC_P256;
            case "rsa2048" -> KeyType.RSA_2048;
            default -> throw new IllegalArgumentException("acme.bench.key: ec256 or rsa2048, not " + KEY);
        };
        line("enrolment benchmark: N=%d, key %s, concurrency %d, ordersPerMinute %d, pollSeconds %d, retry.initialSeconds %d;"
                + " test CA challengeMailDelay %s, challenge.lifetime %s; James %s", N, KEY, CONCURRENCY, ORDERS_PER_MINUTE,
                POLL_SECONDS, RETRY_SECONDS, MAIL_DELAY, CHALLENGE_LIFETIME, JAVA_OPTS);
        line("load average at start: %s", loadAverage());
        DirectIssuance.Result base = null;
        if (Boolean.parseBoolean(System.getProperty("acme.bench.baseline", "true"))) {
            try (DirectIssuance direct = DirectIssuance.start()) {
                base = direct.run(N, BenchmarkChain.DOMAIN, CONCURRENCY, keyType);
            }
            line("baseline (test CA, client answering directly, %d threads): %d issued, %d failed in %.1f s = %.0f/min;"
                    + " test CA CPU %.2f ms per certificate", CONCURRENCY, base.issued(), base.failed(),
                    base.wall().toMillis() / 1000.0, base.perMinute(), perMailbox(base.caCpu(), base.issued()));
            line("load average after the baseline: %s", loadAverage());
        }
        try (BenchmarkChain chain = BenchmarkChain.start(enrolmentSettings(keyType),
                Map.of("fault.challengeMailDelay", MAIL_DELAY, "challenge.lifetime", CHALLENGE_LIFETIME), JAVA_OPTS)) {
            measure(chain, base);
        } finally {
            Path out = Path.of("target", "benchmark-enrolment-" + KEY + "-" + N + ".txt");
            Files.writeString(out, report);
        }
    }

    private void measure(BenchmarkChain chain, DirectIssuance.Result base) throws Exception {
        long caPid = chain.ca.pid();
        long caJamesPid = chain.caJamesPid();
        long orgPid = chain.orgPid();
        long orgHeap = ProcessStats.heapAfterGc(orgPid);
        long caJamesHeap = ProcessStats.heapAfterGc(caJamesPid);
        Duration[] cpu = {ProcessStats.cpu(caPid), ProcessStats.cpu(caJamesPid), ProcessStats.cpu(orgPid)};
        WebAdminClient admin = chain.orgWebAdmin;
        long start = System.nanoTime();
        Http domain = admin.send("PUT", "/domains/" + BenchmarkChain.DOMAIN, "");
        assertThat(domain.status()).as(domain.body()).isIn(204, 409);
        for (int i = 0; i < N; i++) {
            Http user = admin.send("PUT", "/users/user" + i + "@" + BenchmarkChain.DOMAIN, "{\"password\":\"pw-" + i + "\"}");
            assertThat(user.status()).as(user.body()).isEqualTo(204);
        }
        double usersCreated = (System.nanoTime() - start) / 1e9;
        int issued = awaitIssued(admin, start);
        Duration wall = Duration.ofNanos(lastIssue - start);
        Duration[] used = {ProcessStats.cpu(caPid).minus(cpu[0]), ProcessStats.cpu(caJamesPid).minus(cpu[1]),
                ProcessStats.cpu(orgPid).minus(cpu[2])};
        double perMinute = issued * 60_000.0 / wall.toMillis();
        line("enrolment: %d of %d issued, the last %.1f s after the first PUT (users created in %.1f s) = %.0f mailboxes/min;"
                + " failed %d, pending %d (stopped waiting %.0f s later)", issued, N, wall.toMillis() / 1000.0, usersCreated,
                perMinute, count(admin, "failed"), count(admin, "pending"), (System.nanoTime() - lastIssue) / 1e9);
        if (base != null) {
            line("ratio to the baseline: %.2f", perMinute / base.perMinute());
        }
        line("CPU per mailbox: test CA %.2f ms, CA-role James %.2f ms, organisation James %.2f ms",
                perMailbox(used[0], issued), perMailbox(used[1], issued), perMailbox(used[2], issued));
        long orgAfter = ProcessStats.heapAfterGc(orgPid);
        long caJamesAfter = ProcessStats.heapAfterGc(caJamesPid);
        line("heap after full GC, before → after: organisation James %.1f → %.1f MB (%+.1f), CA-role James %.1f → %.1f MB (%+.1f)",
                mb(orgHeap), mb(orgAfter), mb(orgAfter - orgHeap), mb(caJamesHeap), mb(caJamesAfter),
                mb(caJamesAfter - caJamesHeap));
        line("load average at the end: %s", loadAverage());
        assertThat(issued).as("issued; organisation James log tail:%n%s", tail(chain.orgLog())).isEqualTo(N);
    }

    private String enrolmentSettings(KeyType keyType) {
        return String.join("\n", "enrolment.enabled=true", "enrolment.userScanSeconds=10",
                "enrolment.concurrency=" + CONCURRENCY, "enrolment.ordersPerMinute=" + ORDERS_PER_MINUTE,
                "enrolment.pollSeconds=" + POLL_SECONDS, "enrolment.retry.initialSeconds=" + RETRY_SECONDS,
                "enrolment.profile.bench.keyType=" + (keyType == KeyType.EC_P256 ? "ec-p256" : "rsa-2048"));
    }

    /** Polls the issued count every 2 s until it reaches N, nothing moved for {@link #STALL}, or the timeout. */
    private int awaitIssued(WebAdminClient admin, long start) throws Exception {
        int issued = 0;
        lastIssue = System.nanoTime();
        long reported = 0;
        while (issued < N && System.nanoTime() - start < TIMEOUT.toNanos()
                && System.nanoTime() - lastIssue < STALL.toNanos()) {
            Thread.sleep(2000);
            int now = count(admin, "issued");
            if (now != issued) {
                issued = now;
                lastIssue = System.nanoTime();
            }
            if (System.nanoTime() - reported > Duration.ofSeconds(30).toNanos()) {
                reported = System.nanoTime();
                System.out.printf("%.0f s: %d issued%n", (reported - start) / 1e9, issued);
            }
        }
        return issued;
    }

    /** The number of enrolments with {@code status}, read page by page as an admin's script would. */
    static int count(WebAdminClient admin, String status) throws Exception {
        int total = 0;
        String after = "";
        while (true) {
            String page = admin.getOk("/acme-smime/enrolments?status=" + status + "&limit=1000"
                    + (after.isEmpty() ? "" : "&after=" + WebAdminClient.segment(after)));
            JsonNode list = JSON.readTree(page);
            total += list.size();
            if (list.size() < 1000) {
                return total;
            }
            after = list.get(list.size() - 1).path("mailbox").asText();
        }
    }

    private static double perMailbox(Duration cpu, int n) {
        return n == 0 ? 0 : cpu.toNanos() / 1e6 / n;
    }

    private static double mb(long bytes) {
        return bytes / (1024.0 * 1024.0);
    }

    private static String loadAverage() throws Exception {
        return Files.readString(Path.of("/proc/loadavg")).strip();
    }

    private static String tail(String log) {
        return log.length() > 4000 ? log.substring(log.length() - 4000) : log;
    }

    private void line(String format, Object... args) {
        String s = String.format(Locale.ROOT, format, args);
        System.out.println(s);
        report.append(s).append('\n');
    }
}
