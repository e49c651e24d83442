package dev.acmesmime.ca.forward;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import dev.acmesmime.store.AcmeSmimeStore;
import dev.acmesmime.store.AuditEvent;
import dev.acmesmime.testing.MutableClock;

/**
 * Delivery to an ACME server that speaks HTTP/1.0 and closes every connection without saying so
 * (issue 14 §0), over real sockets on loopback and a real H2 store.
 */
class Http10DeliveryTest {
    @TempDir
    Path home;
    final MutableClock clock = new MutableClock(ForwardFixtures.CREATED.plus(Duration.ofMinutes(5)));
    final Http10Server server = Http10Server.start();

    @AfterEach
    void stopServer() throws IOException {
        server.close();
    }

    private ForwardClient client() {
        return new ForwardClient(ForwardFixtures.target(home, ForwardContract.NATIVE,
                "http://127.0.0.1:" + server.port() + "/hook"), clock);
    }

    @Test
    void sendsInARow_theFirstAnswersConnectionIsTheOnlyOnePooled_andItsStaleReuseIsResentAtOnce() throws IOException {
        Files.writeString(home.resolve("forward.secret"), ForwardFixtures.SECRET);
        try (ForwardClient client = client()) {
            for (int i = 0; i < 20; i++) {
                ForwardEnvelope e = ForwardPayloads.envelope(ForwardContract.NATIVE,
                        ForwardFixtures.response("s-" + i, clock.instant()));

                DeliveryAttempt a = client.send(e);

                assertThat(a.delivered()).as("send %d: %s", i, a.detail()).isTrue();
            }
            // before the first answer nobody knew the server closes; later requests ask to close
            assertThat(client.staleRetries()).isEqualTo(1);
        }
        assertThat(server.requestsByKey()).hasSize(20).allSatisfy((k, n) -> assertThat(n.get()).isEqualTo(1));
        assertThat(server.connections()).isEqualTo(20);
    }

    @Test
    @Timeout(60)
    void thousandResults_eachDeliveredExactlyOnce_noneWaitingForABackOff() throws IOException {
        try (AcmeSmimeStore store = ForwardFixtures.openStore(home, clock); ForwardClient client = client();
                DeliveryWorker worker = DeliveryWorker.builder().store(store).client(client).clock(clock)
                        .batchSize(50).threads(16).random(new Random(7)).build()) {
            for (int i = 0; i < 1000; i++) {
                ForwardFixtures.enqueue(store, ForwardContract.NATIVE, "v-" + i, clock.instant());
            }

            // the clock stands still: an item put off by a back-off would not come due again
            while (worker.runOnce() > 0) {
                // next batch
            }

            assertThat(ForwardFixtures.audit(store, AuditEvent.FORWARD_ATTEMPT_FAILED.value())).isEmpty();
            assertThat(ForwardFixtures.audit(store, AuditEvent.FORWARD_DELIVERED.value())).hasSize(1000);
            assertThat(store.outbox().countWaiting()).isZero();
            // at most one connection per sending thread was pooled before the first answer told
            assertThat(client.staleRetries()).isLessThanOrEqualTo(16);
        }
        assertThat(server.requestsByKey()).hasSize(1000);
        assertThat(server.requestsByKey().values()).extracting(AtomicInteger::get).containsOnly(1);
    }
}
