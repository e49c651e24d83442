package dev.acmesmime.deploy;

import static dev.acmesmime.deploy.CaMails.CA;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.acmesmime.deploy.CaRoleBenchmark.Pair;
import dev.acmesmime.deploy.MockAcmeServer.Exchange;
import dev.acmesmime.james.it.OrgJames;

/**
 * Issue 14 §5's outage drill of the CA role, on a real James 3.8.1 process running conf/ca's delivery
 * settings as shipped (back-off, poll, threads): the ACME server ({@link MockAcmeServer}) answers 503 for
 * {@code drill.outageSeconds} (default 600) while {@code drill.responses} signed responses (default 200)
 * arrive over SMTP, spread evenly over the outage (or over its first {@code drill.arrivalSeconds}: the worst
 * case, where the back-off of the last results is long when the server recovers); halfway through, James is killed with {@code kill -9}
 * and started again on the same home (responses refused meanwhile are sent again, as a sending MTA would);
 * then the server answers 200. Reports the time from recovery until the last result reached the server
 * (goal ≤ 60 s), results delivered per idempotency key (goal: exactly one 2xx each) and results lost.
 * <p>
 * A drill, not a test: it runs only with {@code -D}{@value #DRILL_PROPERTY}{@code =true}
 * ({@code benchmarks/drills.sh ca}); the CI variant is {@link CaRestartTest}'s kill -9 test.
 * {@code drill.forwardProperties} (e.g. {@code forward.retry.maxSeconds=40}) is appended to
 * acme-smime.properties, to try other delivery settings. The report goes to stdout and
 * {@code target/drill-ca.txt}.
 */
@EnabledIfSystemProperty(named = CaOutageDrill.DRILL_PROPERTY, matches = "true")
class CaOutageDrill {

    static final String DRILL_PROPERTY = "acme.drill";

    @RegisterExtension
    static final CaJames JAMES = CaJames.own("native");

    final int outageSeconds = Integer.getInteger("drill.outageSeconds", 600);
    final int responses = Integer.getInteger("drill.responses", 200);
    /** Responses arrive over the first this many seconds of the outage (default: all of it). */
    final int arrivalSeconds = Integer.getInteger("drill.arrivalSeconds", outageSeconds);
    final String forwardProperties = System.getProperty("drill.forwardProperties", "");
    final MockAcmeServer server = JAMES.acme();
    final AtomicInteger smtpRetries = new AtomicInteger();

    @Test
    void outageWithAKill9InTheMiddle() throws Exception {
        CaRoleBenchmark.restartAsShipped(JAMES, forwardProperties);
        List<Pair> pairs = CaRoleBenchmark.pairs(JAMES, new BenchSender(JAMES.smtpPort()), "drill", responses);
        server.status = 503;
        long start = System.nanoTime();
        ExecutorService sending = Executors.newSingleThreadExecutor();
        long killedAt;
        long restartedAt;
        try {
            Future<?> sent = sending.submit(() -> sendSpread(pairs, start));
            sleepUntil(start + Duration.ofSeconds(outageSeconds).toNanos() / 2);
            killedAt = System.nanoTime();
            JAMES.killJames();
            JAMES.startJames();
            restartedAt = System.nanoTime();
            sent.get();
            sleepUntil(start + Duration.ofSeconds(outageSeconds).toNanos());
        } finally {
            sending.shutdownNow();
            server.status = 200;
        }
        long recovered = System.nanoTime();
        Set<String> ids = pairs.stream().map(Pair::responseId).collect(Collectors.toSet());
        await().atMost(Duration.ofMinutes(40)).pollInterval(Duration.ofMillis(200))
                .until(() -> delivered(ids).keySet().containsAll(ids));
        long lastDelivered = delivered(ids).values().stream().mapToLong(Collections::min).max().orElseThrow();
        List<String> users = pairs.stream().map(Pair::user).toList();
        await().atMost(Duration.ofMinutes(2)).until(() -> JAMES.outbox(users).isEmpty());
        Thread.sleep(5_000); // a duplicate would come now, if any
        String report = report(ids, (restartedAt - killedAt) / 1e9, (lastDelivered - recovered) / 1e9);
        System.out.println(report);
        Files.writeString(Path.of("target/drill-ca.txt"), report);
        assertThat(delivered(ids)).as("results delivered (2xx) per response").hasSize(responses)
                .allSatisfy((id, times) -> assertThat(times).hasSize(1));
    }

    private String report(Set<String> ids, double restartSeconds, double drainSeconds) {
        Map<String, List<Long>> perId = delivered(ids);
        List<Exchange> ours = server.exchanges().stream().filter(e -> ids.contains(e.responseId())).toList();
        Map<String, Long> perKey = ours.stream().filter(e -> e.status() == 200)
                .collect(Collectors.groupingBy(e -> e.request().getHeader("Idempotency-Key"), Collectors.counting()));
        long keys = ours.stream().map(e -> e.request().getHeader("Idempotency-Key")).distinct().count();
        return String.format(Locale.ROOT, "CA-role outage drill: outage %d s (503), %d responses spread over its first %d s, kill -9"
                        + " of James at %d s (down and restarted in %.1f s, %d SMTP sends retried); forward settings: %s%n"
                        + "requests to the ACME server %d (%d refused); idempotency keys %d, keys delivered %d,"
                        + " keys delivered more than once %d; responses lost %d%n"
                        + "last result delivered %.1f s after recovery (goal <= 60 s)%n",
                outageSeconds, responses, arrivalSeconds, outageSeconds / 2, restartSeconds, smtpRetries.get(),
                forwardProperties.isBlank() ? "as shipped" : forwardProperties,
                ours.size(), ours.stream().filter(e -> e.status() != 200).count(), keys, perKey.size(),
                perKey.values().stream().filter(c -> c > 1).count(), responses - perId.size(), drainSeconds);
    }

    /** Response Message-ID → arrival times of its requests answered 200. */
    private Map<String, List<Long>> delivered(Set<String> ids) {
        return server.exchanges().stream().filter(e -> e.status() == 200).filter(e -> ids.contains(e.responseId()))
                .collect(Collectors.groupingBy(Exchange::responseId,
                        Collectors.mapping(Exchange::at, Collectors.toList())));
    }

    /**
     * Response i leaves at i × arrival period / R; one James does not take (killed, starting) is sent again a second
     * later, for at most 10 minutes.
     */
    private Void sendSpread(List<Pair> pairs, long start) throws Exception {
        for (int i = 0; i < pairs.size(); i++) {
            sleepUntil(start + Duration.ofSeconds(arrivalSeconds).toNanos() * i / pairs.size());
            Pair p = pairs.get(i);
            for (int attempt = 1; ; attempt++) {
                try {
                    OrgJames.send(JAMES.smtpPort(), p.user(), CA, p.signed());
                    break;
                } catch (IOException | RuntimeException | AssertionError e) {
                    if (attempt >= 600) {
                        throw e;
                    }
                    smtpRetries.incrementAndGet();
                    Thread.sleep(1_000);
                }
            }
        }
        return null;
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        long wait = nanoTime - System.nanoTime();
        if (wait > 0) {
            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        }
    }
}
