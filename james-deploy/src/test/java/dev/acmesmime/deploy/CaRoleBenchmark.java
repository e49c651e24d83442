package dev.acmesmime.deploy;

import static dev.acmesmime.deploy.CaJames.JSON;
import static dev.acmesmime.deploy.CaJames.SEL;
import static dev.acmesmime.deploy.CaMails.CA;
import static dev.acmesmime.deploy.CaMails.bytes;
import static dev.acmesmime.deploy.CaMails.challenge;
import static dev.acmesmime.deploy.CaMails.response;
import static dev.acmesmime.deploy.CaMails.text;
import static dev.acmesmime.testing.ConfFiles.replaceOnce;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.acmesmime.dkim.DkimSigner;
import dev.acmesmime.rfc8823.MessageKind;
import dev.acmesmime.testing.WebAdminClient;
import dev.acmesmime.testing.WebAdminClient.Http;

/**
 * Issue 6 performance of the CA role in a real James 3.8.1 process: {@value #BENCH_PROPERTY}=true runs
 * it (not part of the normal build):
 * {@code mvn -B -pl core,matcher,mailet,james-deploy -am verify -Dtest=CaRoleBenchmark -Dacme.bench=true -Dsurefire.failIfNoSpecifiedTests=false}.
 * James runs conf/ca as shipped (forward.* retry, poll and thread settings included; only the
 * per-domain challenge limit is lifted). Keys come from dnsmasq with TTL 0, so every response
 * costs a DNS query, the worst case. The ACME server answers at once. Phases, in one run:
 * <ol>
 * <li>warm-up: {@code acme.bench.warmup} responses (default 3000), not measured, so that the
 *     JIT has compiled the response path;</li>
 * <li>baseline: the same mails to an address the plugin ignores, through James's own pipeline
 *     (SMTP, spool, ToRepository in memory); mails per second;</li>
 * <li>saturation: {@code acme.bench.n} responses (default 5000) sent as fast as 4 SMTP
 *     connections take them; responses per second from the first send to the last HTTP
 *     arrival, and its ratio to the baseline;</li>
 * <li>steady load: {@code acme.bench.paced} responses (default 3000) offered at
 *     {@code acme.bench.rate} per second (default 200); p50/p99/max of SMTP DATA end to the
 *     HTTP request's arrival at the ACME server;</li>
 * <li>outage: the ACME server answers 503 for {@code acme.bench.outageSeconds} (default 300)
 *     while responses keep arriving at {@code acme.bench.outageRate} per second (default 10);
 *     the time from recovery until every one of them has been delivered (with conf/ca's
 *     back-off of 30 s doubling, the wait for the next attempt dominates).</li>
 * </ol>
 * The report goes to stdout and to java.io.tmpdir/acme-smime-ca-benchmark.txt.
 * {@code -Dacme.bench.jdbcUrl=jdbc:postgresql://…} puts the store on that database instead of
 * the embedded H2 file.
 */
@EnabledIfSystemProperty(named = CaRoleBenchmark.BENCH_PROPERTY, matches = "true")
class CaRoleBenchmark {

    static final String BENCH_PROPERTY = "acme.bench";
    /** Not a challenge address: James routes it to the address-error repository without the plugin. */
    static final String BASELINE_TO = "nobody@ca.example";
    static final Duration LONG = Duration.ofMinutes(30);

    @RegisterExtension
    static final CaJames JAMES = CaJames.own("native");

    final int n = Integer.getInteger("acme.bench.n", 5000);
    final int paced = Integer.getInteger("acme.bench.paced", 3000);
    final int rate = Integer.getInteger("acme.bench.rate", 200);
    final int outageSeconds = Integer.getInteger("acme.bench.outageSeconds", 300);
    final int outageRate = Integer.getInteger("acme.bench.outageRate", 10);
    final int backlog = outageSeconds * outageRate;
    final int warmup = Integer.getInteger("acme.bench.warmup", 3000);
    final MockAcmeServer server = JAMES.acme();
    final BenchSender sender = new BenchSender(JAMES.smtpPort());

    /** A challenge and its response: {user, token, challenge id, response id}, and the signed response. */
    record Pair(String user, String token, String challengeId, String responseId, byte[] signed) {
    }

    @Test
    void benchmark() throws Exception {
        // -Dacme.bench.jdbcUrl: the store on that database (e.g. PostgreSQL from .ci/postgres.sh)
        String jdbcUrl = System.getProperty("acme.bench.jdbcUrl", "");
        restartAsShipped(JAMES, jdbcUrl.isBlank() ? "" : "store.jdbc.url=" + jdbcUrl);
        server.bench = true;
        List<Pair> all = pairs(JAMES, sender, "bench", warmup + n + paced + backlog);
        // warm-up, not measured: the JIT compiles the response path (it otherwise takes most of
        // the CPU during the first thousands of mails after James starts)
        deliver(all.subList(0, warmup), new ConcurrentHashMap<>(), 0);
        List<Pair> pairs = all.subList(warmup, all.size());
        List<Pair> timed = pairs.subList(0, n);

        double baseline = baseline(timed);
        String result = saturation(timed, baseline);
        result += steady(pairs.subList(n, n + paced));
        result += outage(pairs.subList(n + paced, n + paced + backlog));
        System.out.println(result);
        Files.writeString(Path.of(System.getProperty("java.io.tmpdir"), "acme-smime-ca-benchmark.txt"), result + "\n");
        assertThat(pairs).allSatisfy(p -> assertThat(server.deliveredAt).containsKey(p.responseId()));
        server.bench = false;
    }

    /**
     * 0. baseline, same run: the same mails to an address the plugin ignores, through James's own
     * pipeline (SMTP, spool, RecipientRewriteTable, ToRepository in memory); mails per second.
     */
    private double baseline(List<Pair> timed) throws Exception {
        long baseStart = System.nanoTime();
        sender.send(null, timed.stream().map(Pair::user).toList(), timed.stream().map(p -> text(p.signed())).toList(),
                null, null, BASELINE_TO, 0);
        await().atMost(LONG).pollInterval(Duration.ofMillis(100))
                .until(() -> repositorySize("var/mail/address-error") >= n);
        return n / ((System.nanoTime() - baseStart) / 1e9);
    }

    /** 1. saturation: n responses as fast as 4 SMTP connections take them. */
    private String saturation(List<Pair> timed, double baseline) throws Exception {
        Map<String, Long> sentAt = new ConcurrentHashMap<>();
        long start = System.nanoTime();
        deliver(timed, sentAt, 0);
        long last = timed.stream().mapToLong(p -> server.deliveredAt.get(p.responseId())).max().orElseThrow();
        double throughput = n / ((last - start) / 1e9);
        return String.format(Locale.ROOT, "CA-role benchmark: saturation %d responses = %.1f mails/s"
                        + " (James alone, same mails to %s: %.1f mails/s; ratio %.2f); %s",
                n, throughput, BASELINE_TO, baseline, throughput / baseline, latencies(timed, sentAt));
    }

    /** 2. steady load: the offered rate the goal names, latency from SMTP DATA end to HTTP request. */
    private String steady(List<Pair> steady) throws Exception {
        Map<String, Long> sentAt = new ConcurrentHashMap<>();
        deliver(steady, sentAt, rate);
        return String.format(Locale.ROOT, "; steady %d responses offered at %d/s: %s", paced, rate,
                latencies(steady, sentAt));
    }

    /** 3. an outage of the ACME server while responses keep arriving, then recovery. */
    private String outage(List<Pair> late) throws Exception {
        server.status = 503;
        long outageStart = System.nanoTime();
        sendResponses(late, new ConcurrentHashMap<>(), outageRate);
        long left = outageSeconds * 1_000_000_000L - (System.nanoTime() - outageStart);
        if (left > 0) {
            Thread.sleep(left / 1_000_000);
        }
        long recovered = System.nanoTime();
        server.status = 200;
        await().atMost(Duration.ofMinutes(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> late.stream().allMatch(p -> server.deliveredAt.containsKey(p.responseId())));
        long drained = late.stream().mapToLong(p -> server.deliveredAt.get(p.responseId())).max().orElseThrow();
        return String.format(Locale.ROOT, "; outage of %d s with %d responses arriving (%d/s, %d refused"
                        + " attempts): all delivered %.1f s after recovery", outageSeconds, backlog, outageRate,
                server.refused.get(), (drained - recovered) / 1e9);
    }

    /** Sends the responses of {@code pairs} and waits until the ACME server has every one. */
    private void deliver(List<Pair> pairs, Map<String, Long> sentAt, int rate) throws Exception {
        sendResponses(pairs, sentAt, rate);
        await().atMost(LONG).pollInterval(Duration.ofMillis(200))
                .until(() -> pairs.stream().allMatch(p -> server.deliveredAt.containsKey(p.responseId())));
    }

    private void sendResponses(List<Pair> pairs, Map<String, Long> sentAt, int rate) throws Exception {
        sender.send(null, pairs.stream().map(Pair::user).toList(), pairs.stream().map(p -> text(p.signed())).toList(),
                pairs.stream().map(Pair::responseId).toList(), sentAt, CA, rate);
    }

    /** p50/p99/max of SMTP DATA end to the ACME server's receipt, over {@code pairs}. */
    private String latencies(List<Pair> pairs, Map<String, Long> sentAt) {
        List<Long> ms = pairs.stream().map(p -> (server.deliveredAt.get(p.responseId()) - sentAt.get(p.responseId()))
                / 1_000_000).sorted().toList();
        return String.format(Locale.ROOT, "SMTP DATA end -> HTTP received p50 %d ms, p99 %d ms, max %d ms",
                ms.get(ms.size() / 2), ms.get((int) Math.ceil(ms.size() * 0.99) - 1), ms.get(ms.size() - 1));
    }

    /** Sends {@code count} challenges, waits until the sink has them all, and signs a response to each. */
    static List<Pair> pairs(CaJames james, BenchSender sender, String prefix, int count) throws Exception {
        DkimSigner dkim = DkimSigner.builder().privateKey(james.userKey().pkcs8()).selector(SEL).build();
        List<Pair> pairs = new ArrayList<>();
        List<String> mails = new ArrayList<>();
        List<String> to = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String user = prefix + i + "@example.test";
            String t1 = String.format("%044d", i).replace('0', 'Q').substring(0, 36) + String.format("%08d", i);
            String cid = "<c-" + prefix + i + "@ca.example>";
            String rid = "<r-" + prefix + i + "@example.test>";
            pairs.add(new Pair(user, t1, cid, rid, dkim.sign(bytes(response(user, t1, cid, rid)), MessageKind.RESPONSE)));
            mails.add(challenge(user, cid, t1, true));
            to.add(user);
        }
        int before = james.sink().getMessages().size();
        sender.send(CA, to, mails, null, null, CA, 0);
        await().atMost(LONG).pollInterval(Duration.ofMillis(500))
                .until(() -> james.sink().getMessages().size() >= before + count);
        return pairs;
    }

    /** Mails in a James mail repository, named by its path (var/mail/...); 0 while James has not created it (404). */
    private int repositorySize(String url) throws Exception {
        Http r = JAMES.webAdmin().get("/mailRepositories/" + WebAdminClient.segment(url));
        return r.status() == 404 ? 0 : JSON.readTree(r.body()).path("size").asInt();
    }

    /**
     * Restarts {@code james} with conf/ca's delivery settings as shipped (the other tests shorten the
     * back-off and poll) and the per-domain challenge limit lifted (thousands of challenges go to one
     * domain); {@code extraProperties} appended to acme-smime.properties (a store URL, a drill's setting).
     */
    static void restartAsShipped(CaJames james, String extraProperties) throws Exception {
        james.stopJames();
        Path conf = james.conf();
        replaceOnce(conf.resolve("mailetcontainer.xml"), "<domainLimit>600</domainLimit>",
                "<domainLimit>10000000</domainLimit>");
        String shipped = Files.readString(james.caConf().resolve("acme-smime.properties"));
        String props = Files.readString(conf.resolve("acme-smime.properties"));
        for (String key : List.of("forward.retry.initialSeconds", "forward.retry.maxSeconds", "forward.pollMillis",
                "forward.threads", "forward.batchSize", "forward.retry.probeSeconds")) {
            Matcher m = Pattern.compile("(?m)^" + Pattern.quote(key) + "=.*$").matcher(shipped);
            assertThat(m.find()).as(key + " in conf/ca").isTrue();
            props = props.replaceAll("(?m)^" + Pattern.quote(key) + "=.*$", m.group());
        }
        Files.writeString(conf.resolve("acme-smime.properties"), props + "\n" + extraProperties + "\n");
        james.startJames();
    }
}
