package dev.acmesmime.ca.forward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.acmesmime.store.AcmeSmimeStore;
import dev.acmesmime.store.AuditEvent;
import dev.acmesmime.store.AuditRecord;
import dev.acmesmime.store.OutboxItem;
import dev.acmesmime.store.OutboxState;
import dev.acmesmime.store.RetryPolicy;
import dev.acmesmime.store.StoreSettings;
import dev.acmesmime.testing.MutableClock;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;

/**
 * The probe of a refusing ACME server ({@link DestinationProbe}) against a real HTTP server on
 * loopback and a real H2 store, with the back-off long (10 minutes doubling) and a test clock: the
 * results must not wait it out once the server is back.
 */
class DeliveryProbeTest {
    private static final RetryPolicy LONG =
            new RetryPolicy(Duration.ofMinutes(10), Duration.ofMinutes(30), 200, Duration.ofMinutes(5));
    private static final Duration PROBE = Duration.ofSeconds(30);

    @TempDir
    Path home;
    MutableClock clock;
    AcmeSmimeStore store;
    MockWebServer server;
    final AtomicBoolean up = new AtomicBoolean();
    /** 2xx answers per idempotency key: exactly once is 1 for each. */
    final Map<String, Integer> delivered = new ConcurrentHashMap<>();

    @BeforeEach
    void setUp() throws IOException {
        clock = new MutableClock(ForwardFixtures.CREATED.plus(Duration.ofMinutes(5)));
        Files.writeString(home.resolve("forward.secret"), ForwardFixtures.SECRET + "\n");
        store = AcmeSmimeStore.builder(StoreSettings.fromProperties(new Properties(), home)).clock(clock)
                .retryPolicy(LONG).open();
        server = new MockWebServer();
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                if (!up.get()) {
                    return new MockResponse().setResponseCode(503).setBody("down");
                }
                delivered.merge(request.getHeader("Idempotency-Key"), 1, Integer::sum);
                return new MockResponse().setResponseCode(200).setBody("{\"outcome\":\"valid\"}");
            }
        });
        server.start(InetAddress.getLoopbackAddress(), 0);
    }

    @AfterEach
    void tearDown() throws IOException {
        server.shutdown();
        store.close();
    }

    private DeliveryWorker worker(Duration probe) {
        ForwardTarget target = ForwardFixtures.target(home, ForwardContract.NATIVE,
                "http://127.0.0.1:" + server.getPort() + "/hook");
        return DeliveryWorker.builder().store(store).client(new ForwardClient(target, clock)).clock(clock)
                .batchSize(10).random(new Random(7)).probeInterval(probe).build();
    }

    /** Three results refused: each now waits out a back-off of 10 to 15 minutes. */
    private List<OutboxItem> refusedThree(DeliveryWorker worker) {
        for (int i = 0; i < 3; i++) {
            ForwardFixtures.enqueue(store, ForwardContract.NATIVE, "p-" + i, clock.instant());
        }
        assertThat(worker.runOnce()).isEqualTo(3);
        List<OutboxItem> waiting = store.outbox().listPending(10);
        assertThat(waiting).hasSize(3).allSatisfy(i -> {
            assertThat(i.attempts()).isEqualTo(1);
            assertThat(i.nextAttemptAt()).isAfterOrEqualTo(clock.instant().plus(Duration.ofMinutes(10)));
        });
        return waiting;
    }

    @Test
    void whileTheServerRefuses_oneResultIsProbedEachInterval_andAFailedProbeKeepsItsAttemptsAndNextAttempt() {
        DeliveryWorker worker = worker(PROBE);
        List<OutboxItem> before = refusedThree(worker);

        clock.advance(PROBE.minusSeconds(1));
        assertThat(worker.runOnce()).as("no probe before the interval").isZero();
        clock.advance(Duration.ofSeconds(1));
        assertThat(worker.runOnce()).as("the probe").isEqualTo(1);
        assertThat(worker.runOnce()).as("one probe per interval").isZero();
        clock.advance(PROBE);
        assertThat(worker.runOnce()).as("the next probe").isEqualTo(1);

        assertThat(server.getRequestCount()).isEqualTo(5);
        assertThat(store.outbox().listPending(10)).as("attempts and next attempts as they were")
                .extracting(OutboxItem::id, OutboxItem::attempts, OutboxItem::nextAttemptAt)
                .containsExactlyElementsOf(before.stream().map(i -> org.assertj.core.groups.Tuple.tuple(i.id(),
                        i.attempts(), i.nextAttemptAt())).toList());
        assertThat(store.outbox().find(before.get(0).id()).orElseThrow().lastError()).get().asString()
                .startsWith("probe: ");
        List<AuditRecord> failed = ForwardFixtures.audit(store, AuditEvent.FORWARD_ATTEMPT_FAILED.value());
        assertThat(failed).hasSize(5);
        assertThat(failed).filteredOn(a -> a.detail().orElse("").contains("probe after attempt 1 (not counted"))
                .hasSize(2).allSatisfy(a -> assertThat(a.outcome()).contains("http-503"));
    }

    @Test
    void whenTheServerComesBack_theProbeDeliversAndBringsEveryWaitingResultForward_eachOnce() {
        DeliveryWorker worker = worker(PROBE);
        refusedThree(worker);
        clock.advance(PROBE);
        assertThat(worker.runOnce()).as("a refused probe").isEqualTo(1);

        up.set(true);
        clock.advance(PROBE.minusSeconds(1));
        assertThat(worker.runOnce()).isZero();
        clock.advance(Duration.ofSeconds(1));
        assertThat(worker.runOnce()).as("the probe, then the two it brought forward, one minute into a 10-minute back-off")
                .isEqualTo(3);

        assertThat(delivered).containsOnlyKeys("p-0", "p-1", "p-2").allSatisfy((k, n) -> assertThat(n).isEqualTo(1));
        assertThat(store.outbox().listPending(10)).isEmpty();
        assertThat(ForwardFixtures.audit(store, AuditEvent.FORWARD_DELIVERED.value())).hasSize(3);
        assertThat(server.getRequestCount()).isEqualTo(3 + 1 + 3);
        clock.advance(Duration.ofHours(1));
        assertThat(worker.runOnce()).as("the server answers: no more probes").isZero();
        assertThat(server.getRequestCount()).isEqualTo(7);
    }

    @Test
    void afterARestart_resultsWaitingFromBefore_areProbedAndDelivered_withoutWaitingOutTheirBackOff() {
        refusedThree(worker(PROBE));
        DeliveryWorker restarted = worker(PROBE);
        up.set(true);

        clock.advance(PROBE);
        assertThat(restarted.runOnce()).isEqualTo(3);

        assertThat(delivered).containsOnlyKeys("p-0", "p-1", "p-2").allSatisfy((k, n) -> assertThat(n).isEqualTo(1));
        assertThat(store.outbox().listPending(10)).isEmpty();
    }

    @Test
    void withProbesOff_theResultsWaitOutTheirBackOff() {
        DeliveryWorker worker = worker(Duration.ZERO);
        List<OutboxItem> before = refusedThree(worker);
        up.set(true);

        clock.advance(Duration.ofMinutes(9));
        assertThat(worker.runOnce()).isZero();
        assertThat(server.getRequestCount()).isEqualTo(3);

        clock.advance(Duration.between(clock.instant(), before.get(2).nextAttemptAt()));
        assertThat(worker.runOnce()).as("each when its back-off ends").isEqualTo(3);
        assertThat(delivered).hasSize(3);
    }

    @Test
    void anItemTheServerRejectsAlone_isNotProbed() {
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return "bad".equals(request.getHeader("Idempotency-Key"))
                        ? new MockResponse().setResponseCode(400).setBody("no")
                        : new MockResponse().setResponseCode(200).setBody("{\"outcome\":\"valid\"}");
            }
        });
        DeliveryWorker worker = worker(PROBE);
        OutboxItem bad = ForwardFixtures.enqueue(store, ForwardContract.NATIVE, "bad", clock.instant());
        ForwardFixtures.enqueue(store, ForwardContract.NATIVE, "good", clock.instant());
        assertThat(worker.runOnce()).isEqualTo(2);

        clock.advance(Duration.ofMinutes(5));
        assertThat(worker.runOnce()).as("the server answers: not an outage").isZero();
        assertThat(server.getRequestCount()).isEqualTo(2);
        assertThat(store.outbox().find(bad.id()).orElseThrow().state()).isEqualTo(OutboxState.PENDING);
    }

    @Test
    void probeSeconds_defaultsTo30_zeroTurnsItOff_andABadValueNamesTheKey() {
        Properties p = new Properties();
        assertThat(ForwardSettings.fromProperties(p, home).probeInterval()).isEqualTo(Duration.ofSeconds(30));
        p.setProperty(ForwardSettings.RETRY_PROBE_SECONDS, "0");
        assertThat(ForwardSettings.fromProperties(p, home).probeInterval()).isZero();
        for (String bad : List.of("-1", "86401", "soon")) {
            p.setProperty(ForwardSettings.RETRY_PROBE_SECONDS, bad);
            assertThatThrownBy(() -> ForwardSettings.fromProperties(p, home))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith(ForwardSettings.RETRY_PROBE_SECONDS);
        }
    }
}
