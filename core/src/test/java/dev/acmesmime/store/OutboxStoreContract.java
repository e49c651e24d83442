package dev.acmesmime.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** Runs with {@link StoreTestBase#TEST_POLICY}: delays 1, 2, 4 min; 3 attempts; 5-min lease. */
interface OutboxStoreContract extends StoreFixture {
    String DESTINATION = "https://acme.ca.example/forward";

    default OutboxStore outbox() {
        return store().outbox();
    }

    default byte[] json(int n) {
        return ("{\"n\":" + n + "}").getBytes(StandardCharsets.UTF_8);
    }

    @Test
    default void enqueuedItemIsPendingAndDueAtOnce() {
        Instant now = Jdbc.truncate(clock().instant());
        byte[] binary = {0, 1, (byte) 0xff, 0x7f, '{'};
        OutboxItem item = outbox().enqueue(DESTINATION, binary);

        OutboxItem expected = new OutboxItem(item.id(), DESTINATION, binary, OutboxState.PENDING, 0, now, now,
                Optional.empty(), Optional.empty());
        assertThat(item).isEqualTo(expected);
        assertThat(outbox().find(item.id())).contains(expected);
        assertThat(outbox().listPending(10)).containsExactly(expected);
    }

    @Test
    default void claimLeasesTheItemAndCountsAnAttempt() {
        OutboxItem item = outbox().enqueue(DESTINATION, json(1));

        assertThat(outbox().claimDue(10)).singleElement().satisfies(c -> {
            assertThat(c.id()).isEqualTo(item.id());
            assertThat(c.attempts()).isEqualTo(1);
            assertThat(c.payload()).isEqualTo(json(1));
        });
        assertThat(outbox().claimDue(10)).isEmpty();
        assertThat(openAnotherNode().outbox().claimDue(10)).isEmpty();
    }

    @Test
    default void claimTakesAtMostMaxOldestFirst() {
        long first = outbox().enqueue(DESTINATION, json(1)).id();
        clock().advance(Duration.ofSeconds(1));
        long second = outbox().enqueue(DESTINATION, json(2)).id();
        clock().advance(Duration.ofSeconds(1));
        long third = outbox().enqueue(DESTINATION, json(3)).id();

        assertThat(outbox().claimDue(2)).extracting(OutboxItem::id).containsExactly(first, second);
        assertThat(outbox().claimDue(2)).extracting(OutboxItem::id).containsExactly(third);
    }

    @Test
    default void completedItemIsDoneAndNoLongerPending() {
        OutboxItem item = outbox().enqueue(DESTINATION, json(1));
        outbox().claimDue(1);
        clock().advance(Duration.ofSeconds(2));

        assertThat(outbox().complete(item.id())).isTrue();
        OutboxItem done = outbox().find(item.id()).orElseThrow();
        assertThat(done.state()).isEqualTo(OutboxState.DONE);
        assertThat(done.finishedAt()).contains(Jdbc.truncate(clock().instant()));
        assertThat(outbox().listPending(10)).isEmpty();
        assertThat(outbox().complete(item.id())).isFalse();
    }

    @Test
    default void onlyTheLeaseHolderCanFinishAnItem() {
        OutboxItem item = outbox().enqueue(DESTINATION, json(1));
        AcmeSmimeStore nodeB = openAnotherNode();

        assertThat(nodeB.outbox().complete(item.id())).isFalse();
        outbox().claimDue(1);
        assertThat(nodeB.outbox().complete(item.id())).isFalse();
        assertThat(nodeB.outbox().fail(item.id(), "no")).isFalse();
        assertThat(nodeB.outbox().retryLater(item.id(), "no")).isEmpty();
        assertThat(outbox().find(item.id())).get().extracting(OutboxItem::state).isEqualTo(OutboxState.PENDING);
    }

    @Test
    default void anExpiredLeaseLetsAnotherNodeTakeOver() {
        OutboxItem item = outbox().enqueue(DESTINATION, json(1));
        outbox().claimDue(1);
        AcmeSmimeStore nodeB = openAnotherNode();
        clock().advance(Duration.ofMinutes(5).minusSeconds(1));
        assertThat(nodeB.outbox().claimDue(1)).isEmpty();

        clock().advance(Duration.ofSeconds(1));
        assertThat(nodeB.outbox().claimDue(1)).singleElement()
                .satisfies(c -> assertThat(c.attempts()).isEqualTo(2));
        assertThat(outbox().complete(item.id())).isFalse();
        assertThat(nodeB.outbox().complete(item.id())).isTrue();
    }

    @Test
    default void retryLaterBacksOffThenFailsAfterTheLastAttempt() {
        OutboxItem item = outbox().enqueue(DESTINATION, json(1));

        outbox().claimDue(1);
        assertThat(outbox().retryLater(item.id(), "HTTP 503")).contains(OutboxState.PENDING);
        assertThat(outbox().find(item.id())).get().satisfies(i -> {
            assertThat(i.nextAttemptAt()).isEqualTo(Jdbc.truncate(clock().instant().plus(Duration.ofMinutes(1))));
            assertThat(i.lastError()).contains("HTTP 503");
        });
        clock().advance(Duration.ofSeconds(59));
        assertThat(outbox().claimDue(1)).isEmpty();
        clock().advance(Duration.ofSeconds(1));
        assertThat(outbox().claimDue(1)).hasSize(1);

        assertThat(outbox().retryLater(item.id(), "HTTP 502\nBad Gateway")).contains(OutboxState.PENDING);
        assertThat(outbox().find(item.id())).get().satisfies(i -> {
            assertThat(i.nextAttemptAt()).isEqualTo(Jdbc.truncate(clock().instant().plus(Duration.ofMinutes(2))));
            assertThat(i.lastError()).contains("HTTP 502 Bad Gateway");
        });
        clock().advance(Duration.ofMinutes(2));
        assertThat(outbox().claimDue(1)).singleElement().satisfies(i -> assertThat(i.attempts()).isEqualTo(3));

        assertThat(outbox().retryLater(item.id(), "timeout")).contains(OutboxState.FAILED);
        assertThat(outbox().listFailed(10)).singleElement().satisfies(i -> {
            assertThat(i.id()).isEqualTo(item.id());
            assertThat(i.lastError()).contains("timeout");
            assertThat(i.finishedAt()).contains(Jdbc.truncate(clock().instant()));
        });
        clock().advance(Duration.ofDays(1));
        assertThat(outbox().claimDue(1)).isEmpty();
    }

    @Test
    default void expediteMakesTheDestinationsWaitingItemsDueAndKeepsTheirAttempts() {
        OutboxItem waiting = outbox().enqueue(DESTINATION, json(1));
        OutboxItem elsewhere = outbox().enqueue("https://other.example/forward", json(2));
        OutboxItem done = outbox().enqueue(DESTINATION, json(3));
        assertThat(outbox().claimDue(10)).hasSize(3);
        outbox().retryLater(waiting.id(), "http-503");
        outbox().retryLater(elsewhere.id(), "http-503");
        outbox().complete(done.id());
        assertThat(outbox().claimDue(10)).as("backing off").isEmpty();

        assertThat(outbox().expedite(DESTINATION)).isEqualTo(1);

        assertThat(outbox().claimDue(10)).singleElement().satisfies(c -> {
            assertThat(c.id()).isEqualTo(waiting.id());
            assertThat(c.attempts()).isEqualTo(2);
        });
        assertThat(outbox().find(elsewhere.id()).orElseThrow().nextAttemptAt()).isAfter(clock().instant());
        assertThat(outbox().find(done.id()).orElseThrow().state()).isEqualTo(OutboxState.DONE);
        assertThat(outbox().expedite(DESTINATION)).as("nothing waits any more").isZero();
    }

    @Test
    default void aProbeLeasesTheItemDueSoonest_withoutCountingAnAttempt_andAFailedOneKeepsItsSchedule() {
        OutboxItem first = outbox().enqueue(DESTINATION, json(1));
        clock().advance(Duration.ofSeconds(1));
        OutboxItem second = outbox().enqueue(DESTINATION, json(2));
        OutboxItem elsewhere = outbox().enqueue("https://other.example/forward", json(3));
        assertThat(outbox().claimDue(10)).hasSize(3);
        outbox().retryLater(first.id(), "http-503");
        clock().advance(Duration.ofSeconds(1));
        outbox().retryLater(second.id(), "http-503");
        OutboxItem before = outbox().find(first.id()).orElseThrow();
        assertThat(outbox().claimDue(10)).as("backing off").isEmpty();

        assertThat(outbox().claimProbe(DESTINATION)).get().satisfies(p -> {
            assertThat(p.id()).isEqualTo(first.id());
            assertThat(p.attempts()).as("a probe is not an attempt").isEqualTo(1);
            assertThat(p.payload()).isEqualTo(json(1));
        });
        assertThat(openAnotherNode().outbox().claimProbe(DESTINATION)).get().extracting(OutboxItem::id)
                .as("the leased one is not probed twice").isEqualTo(second.id());
        assertThat(outbox().claimProbe(DESTINATION)).as("both leased").isEmpty();
        assertThat(openAnotherNode().outbox().releaseProbe(first.id(), "no")).as("not its lease").isFalse();

        clock().advance(Duration.ofSeconds(5));
        assertThat(outbox().releaseProbe(first.id(), "probe: http-503")).isTrue();
        assertThat(outbox().releaseProbe(first.id(), "again")).as("released already").isFalse();
        assertThat(outbox().find(first.id())).get().satisfies(i -> {
            assertThat(i.attempts()).isEqualTo(before.attempts());
            assertThat(i.nextAttemptAt()).isEqualTo(before.nextAttemptAt());
            assertThat(i.state()).isEqualTo(OutboxState.PENDING);
            assertThat(i.lastError()).contains("probe: http-503");
        });
        assertThat(outbox().find(elsewhere.id()).orElseThrow().attempts()).isEqualTo(1);
        clock().advance(Duration.ofMinutes(1));
        assertThat(outbox().claimDue(10)).as("its back-off runs as before; the other is still leased")
                .singleElement().satisfies(c -> {
                    assertThat(c.id()).isEqualTo(first.id());
                    assertThat(c.attempts()).isEqualTo(2);
                });
    }

    @Test
    default void aProbeThatGetsThrough_completesTheItem() {
        OutboxItem item = outbox().enqueue(DESTINATION, json(1));
        outbox().claimDue(1);
        outbox().retryLater(item.id(), "http-503");

        OutboxItem probe = outbox().claimProbe(DESTINATION).orElseThrow();
        assertThat(outbox().complete(probe.id())).isTrue();

        assertThat(outbox().find(item.id())).get().satisfies(i -> {
            assertThat(i.state()).isEqualTo(OutboxState.DONE);
            assertThat(i.attempts()).isEqualTo(1);
        });
        assertThat(outbox().claimProbe(DESTINATION)).as("nothing waits").isEmpty();
        assertThat(outbox().claimProbe("https://other.example/forward")).isEmpty();
    }

    @Test
    default void failGivesUpAndAManualRetryStartsAfresh() {
        OutboxItem item = outbox().enqueue(DESTINATION, json(1));
        outbox().claimDue(1);

        assertThat(outbox().fail(item.id(), "HTTP 400 malformed")).isTrue();
        assertThat(outbox().listFailed(10)).extracting(OutboxItem::id).containsExactly(item.id());
        assertThat(outbox().listPending(10)).isEmpty();

        assertThat(outbox().retry(item.id())).isTrue();
        assertThat(outbox().retry(item.id())).isFalse();
        OutboxItem again = outbox().find(item.id()).orElseThrow();
        assertThat(again.state()).isEqualTo(OutboxState.PENDING);
        assertThat(again.attempts()).isZero();
        assertThat(again.lastError()).contains("HTTP 400 malformed");
        assertThat(outbox().claimDue(1)).extracting(OutboxItem::id).containsExactly(item.id());
    }

    @Test
    default void listFailedShowsTheMostRecentFirst() {
        long a = outbox().enqueue(DESTINATION, json(1)).id();
        long b = outbox().enqueue(DESTINATION, json(2)).id();
        outbox().claimDue(2);
        outbox().fail(a, "x");
        clock().advance(Duration.ofSeconds(1));
        outbox().fail(b, "y");

        assertThat(outbox().listFailed(10)).extracting(OutboxItem::id).containsExactly(b, a);
        assertThat(outbox().listFailed(1)).extracting(OutboxItem::id).containsExactly(b);
    }

    @Test
    default void waitingCountsPendingAndFailedButNotDone_andTheOldestIsTheFirstEnqueued() {
        assertThat(outbox().countWaiting()).isZero();
        assertThat(outbox().oldestWaiting()).isEmpty();
        Instant first = Jdbc.truncate(clock().instant());
        long done = outbox().enqueue(DESTINATION, json(1)).id();
        clock().advance(Duration.ofSeconds(10));
        Instant second = Jdbc.truncate(clock().instant());
        long failed = outbox().enqueue(DESTINATION, json(2)).id();
        clock().advance(Duration.ofSeconds(10));
        outbox().enqueue(DESTINATION, json(3));
        assertThat(outbox().countWaiting()).isEqualTo(3);
        assertThat(outbox().oldestWaiting()).contains(first);

        outbox().claimDue(2);
        outbox().complete(done);
        outbox().fail(failed, "HTTP 400");

        assertThat(outbox().countWaiting()).isEqualTo(2);
        assertThat(outbox().oldestWaiting()).contains(second);
        assertThat(openAnotherNode().outbox().countWaiting()).isEqualTo(2);
    }
}
