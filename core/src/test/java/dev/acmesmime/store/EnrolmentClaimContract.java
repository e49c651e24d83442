package dev.acmesmime.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/** The enrolment engine's work queue: due rows, leases, and one worker per mailbox across nodes. */
interface EnrolmentClaimContract extends StoreFixture {
    Duration LEASE = Duration.ofMinutes(5);

    private Enrolment scheduled(String mailbox, Instant next) {
        return store().enrolments().save(Enrolment.of(mailbox).withStep(EnrolmentStep.ORDERED).withSchedule(0, next));
    }

    @Test
    default void onlyRowsWhoseTimeHasComeAreClaimedEarliestFirst() {
        Instant now = clock().instant();
        scheduled("later@org.example", now.plusSeconds(1));
        scheduled("second@org.example", now.minusSeconds(10));
        scheduled("first@org.example", now.minusSeconds(20));
        scheduled("third@org.example", now);
        store().enrolments().save(Enrolment.of("unscheduled@org.example"));

        List<Enrolment> won = store().enrolments().claimDue(now, "w1", LEASE, 10);

        assertThat(won).extracting(Enrolment::mailbox)
                .containsExactly("first@org.example", "second@org.example", "third@org.example");
        assertThat(won).allSatisfy(e -> {
            assertThat(e.leaseOwner()).contains("w1");
            assertThat(e.leaseUntil()).contains(Jdbc.truncate(now).plus(LEASE));
        });
    }

    @Test
    default void liveOrdersAreClaimedBeforeMailboxesNotStartedEvenWhenThoseAreDueEarlier() {
        Instant now = clock().instant();
        for (int i = 0; i < 3; i++) {
            store().enrolments().save(Enrolment.of("new" + i + "@org.example").withSchedule(0, now.minusSeconds(60)));
        }
        store().enrolments().save(Enrolment.of("renewing@org.example").withStep(EnrolmentStep.ISSUED)
                .withSchedule(0, now.minusSeconds(50)));
        scheduled("answered@org.example", now.minusSeconds(1));
        scheduled("ordered@org.example", now);

        List<Enrolment> won = store().enrolments().claimDue(now, "w1", LEASE, 3);

        assertThat(won).extracting(Enrolment::mailbox)
                .containsExactly("answered@org.example", "ordered@org.example", "new0@org.example");
    }

    @Test
    default void aClaimTakesAtMostTheLimit() {
        Instant now = clock().instant();
        for (int i = 0; i < 5; i++) {
            scheduled("user" + i + "@org.example", now.minusSeconds(i));
        }

        assertThat(store().enrolments().claimDue(now, "w1", LEASE, 2)).hasSize(2);
        assertThat(store().enrolments().claimDue(now, "w2", LEASE, 10)).hasSize(3);
        assertThat(store().enrolments().claimDue(now, "w3", LEASE, 10)).isEmpty();
    }

    @Test
    default void aLeasedRowIsNotDueUntilItsLeaseEndsThenAnotherWorkerTakesIt() {
        Instant now = clock().instant();
        scheduled("alice@org.example", now);
        assertThat(store().enrolments().claimDue(now, "w1", LEASE, 1)).hasSize(1);

        assertThat(store().enrolments().claimDue(now.plus(LEASE).minusSeconds(1), "w2", LEASE, 1)).isEmpty();
        List<Enrolment> takenOver = store().enrolments().claimDue(now.plus(LEASE), "w2", LEASE, 1);

        assertThat(takenOver).singleElement().extracting(Enrolment::leaseOwner).isEqualTo(Optional.of("w2"));
    }

    @Test
    default void releaseEndsOnlyTheOwnersLeaseAndSaveKeepsTheLease() {
        Instant now = clock().instant();
        scheduled("alice@org.example", now);
        Enrolment claimed = store().enrolments().claimDue(now, "w1", LEASE, 1).get(0);

        Enrolment saved = store().enrolments().save(claimed.withStep(EnrolmentStep.POSTED));
        assertThat(saved.leaseOwner()).contains("w1");
        assertThat(store().enrolments().release("alice@org.example", "w2")).isFalse();
        assertThat(store().enrolments().claimDue(now, "w2", LEASE, 1)).isEmpty();

        assertThat(store().enrolments().release("alice@org.example", "w1")).isTrue();
        assertThat(store().enrolments().find("alice@org.example").orElseThrow().leaseOwner()).isEmpty();
        assertThat(store().enrolments().claimDue(now, "w2", LEASE, 1)).hasSize(1);
    }

    /** Issue 15: a step that creates state at the CA starts with a whole lease, so no other node takes over meanwhile. */
    @Test
    default void extendLeaseMovesOnlyALiveLeaseOfItsOwner() {
        Instant now = clock().instant();
        scheduled("alice@org.example", now);
        store().enrolments().claimDue(now, "w1", LEASE, 1);

        assertThat(store().enrolments().extendLease("alice@org.example", "w2", now.plus(LEASE.multipliedBy(2))))
                .as("not the owner").isFalse();
        clock().advance(LEASE.minusSeconds(1));
        assertThat(store().enrolments().extendLease("alice@org.example", "w1", clock().instant().plus(LEASE))).isTrue();
        clock().advance(Duration.ofSeconds(2));
        assertThat(store().enrolments().claimDue(clock().instant(), "w2", LEASE, 1))
                .as("the first lease would have run out by now; the extended one has not").isEmpty();

        clock().advance(LEASE);
        assertThat(store().enrolments().extendLease("alice@org.example", "w1", clock().instant().plus(LEASE)))
                .as("a lease that ran out cannot be extended").isFalse();
        assertThat(store().enrolments().claimDue(clock().instant(), "w2", LEASE, 1)).hasSize(1);
    }

    @Test
    default void saveHeldWritesOnlyForTheWorkerWhoseLeaseIsLive() {
        Instant now = clock().instant();
        scheduled("alice@org.example", now);
        Enrolment claimed = store().enrolments().claimDue(now, "w1", LEASE, 1).get(0);

        assertThat(store().enrolments().saveHeld(claimed.withStep(EnrolmentStep.POSTED), "w2")).isEmpty();
        assertThat(store().enrolments().saveHeld(claimed.withStep(EnrolmentStep.POSTED), "w1")).get()
                .extracting(Enrolment::step).isEqualTo(EnrolmentStep.POSTED);

        clock().advance(LEASE);
        assertThat(store().enrolments().saveHeld(claimed.withStep(EnrolmentStep.VALID), "w1"))
                .as("a lease that ran out holds nothing").isEmpty();
        assertThat(store().enrolments().find("alice@org.example").orElseThrow().step()).isEqualTo(EnrolmentStep.POSTED);
    }

    @Test
    default void twoNodesClaimingTogetherNeverGetTheSameMailbox() throws Exception {
        int rows = 300;
        Instant now = clock().instant();
        for (int i = 0; i < rows; i++) {
            scheduled(String.format("user%03d@org.example", i), now.minusMillis(i % 7));
        }
        AcmeSmimeStore nodeB = openAnotherNode();
        CyclicBarrier start = new CyclicBarrier(4);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<String>>> workers = new ArrayList<>();
            for (int w = 0; w < 4; w++) {
                AcmeSmimeStore node = w % 2 == 0 ? store() : nodeB;
                String owner = "worker-" + w;
                workers.add(pool.submit(() -> claimUntilNoneLeft(node, owner, now, start)));
            }
            Set<String> claimed = new HashSet<>();
            int total = 0;
            for (Future<List<String>> f : workers) {
                List<String> got = f.get(120, TimeUnit.SECONDS);
                total += got.size();
                claimed.addAll(got);
            }
            assertThat(total).as("claims, counting a mailbox twice if two workers got it").isEqualTo(rows);
            assertThat(claimed).hasSize(rows);
        } finally {
            pool.shutdownNow();
        }
    }

    private static List<String> claimUntilNoneLeft(AcmeSmimeStore node, String owner, Instant now,
                                                   CyclicBarrier start) throws Exception {
        start.await(60, TimeUnit.SECONDS);
        List<String> got = new ArrayList<>();
        while (true) {
            List<Enrolment> batch = node.enrolments().claimDue(now, owner, LEASE, 3);
            if (batch.isEmpty()) {
                // another worker won what was left; the last winner loops once more and ends the queue
                return got;
            }
            batch.forEach(e -> got.add(e.mailbox()));
        }
    }
}
