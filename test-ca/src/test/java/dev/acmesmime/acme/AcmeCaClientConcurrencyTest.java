package dev.acmesmime.acme;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import dev.acmesmime.testca.client.RunningTestCa;

/**
 * {@link AcmeCaClient} shared by several threads, as the enrolment workers share it: their requests reach
 * the test CA together (acme4j makes one request at a time per Session, so one Session would serialise
 * them), and no more Sessions are made than the client's bound. The test CA waits {@code fault.requestDelay}
 * before each answer and counts the requests waiting so ({@code GET /stats}), the most at once since it
 * started: hence the order of the tests.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AcmeCaClientConcurrencyTest {
    private static final int THREADS = 6;
    private static final int ORDERS_PER_THREAD = 2;

    @RegisterExtension
    static final RunningTestCa CA = RunningTestCa.withDefaults().with("fault.requestDelay", "100ms");

    @TempDir
    Path dir;

    @Test
    @Order(1)
    void ordersPlacedByConcurrentThreadsAreInFlightAtTheCaTogether() throws Exception {
        AcmeCaClient client = new AcmeCaClient(TestCaProfile.of(CA, dir).profile(), new MemoryAccountKeys());
        client.account();
        assertThat(CA.management().stats().path("delayedRequestsMax").asInt())
                .as("finding the account is one request after the other").isEqualTo(1);

        List<URI> orders = placeConcurrently(client, "overlap");

        assertThat(orders).doesNotHaveDuplicates().hasSize(THREADS * ORDERS_PER_THREAD);
        assertThat(CA.management().stats().path("delayedRequestsMax").asInt())
                .as("requests outstanding at the test CA at once").isGreaterThan(1);
        assertThat(client.sessions()).isBetween(2, THREADS);
    }

    @Test
    @Order(2)
    void noMoreSessionsAreMadeThanTheBoundAndTheOtherCallsWaitForOne() throws Exception {
        AcmeCaClient client = new AcmeCaClient(TestCaProfile.of(CA, dir).profile(), new MemoryAccountKeys(), 2);

        List<URI> orders = placeConcurrently(client, "bounded");

        assertThat(orders).doesNotHaveDuplicates().hasSize(THREADS * ORDERS_PER_THREAD);
        assertThat(client.sessions()).isEqualTo(2);
    }

    /** {@link #THREADS} threads released together, each placing {@link #ORDERS_PER_THREAD} orders. */
    private static List<URI> placeConcurrently(AcmeCaClient client, String prefix) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<List<URI>>> placed = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                String mailbox = prefix + "-" + t + "@example.org";
                placed.add(pool.submit(() -> {
                    start.await();
                    List<URI> urls = new ArrayList<>();
                    for (int i = 0; i < ORDERS_PER_THREAD; i++) {
                        urls.add(client.placeOrder(mailbox, Optional.empty()).orderUrl());
                    }
                    return urls;
                }));
            }
            start.countDown();
            List<URI> all = new ArrayList<>();
            for (Future<List<URI>> f : placed) {
                all.addAll(f.get(60, TimeUnit.SECONDS));
            }
            return all;
        } finally {
            pool.shutdownNow();
        }
    }
}
