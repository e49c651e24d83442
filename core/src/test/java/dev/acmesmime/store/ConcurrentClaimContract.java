package dev.acmesmime.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.IntFunction;

import org.junit.jupiter.api.Test;

/**
 * Two nodes (two stores, each with its own connection pool) race for the same thing again and
 * again; every race must have exactly one winner.
 */
interface ConcurrentClaimContract extends StoreFixture {
    int RACES = 1000;
    String RACE_DESTINATION = "https://ca.example/forward";

    @Test
    default void exactlyOneNodeClaimsEachAnsweredChallenge() throws Exception {
        AcmeSmimeStore nodeA = store();
        AcmeSmimeStore nodeB = openAnotherNode();
        CyclicBarrier start = new CyclicBarrier(2);

        List<boolean[]> wins = race(
                () -> claimAll(nodeA, start),
                () -> claimAll(nodeB, start));

        for (int i = 0; i < RACES; i++) {
            assertThat(wins.get(0)[i] ^ wins.get(1)[i]).as("race %d: A won %s, B won %s", i, wins.get(0)[i],
                    wins.get(1)[i]).isTrue();
        }
        for (int i = 0; i < RACES; i++) {
            String winner = wins.get(0)[i] ? "node-a" : "node-b";
            assertThat(nodeA.answeredChallenges().find("<race-" + i + "@ca.example>", "token-part1"))
                    .get().extracting(AnsweredChallenge::claimedBy).isEqualTo(winner);
        }
    }

    @Test
    default void exactlyOneNodeClaimsEachOutboxItem() throws Exception {
        AcmeSmimeStore nodeA = store();
        Function<OutboxStore, Optional<Long>> claimDue = o -> o.claimDue(1).stream().map(OutboxItem::id).findFirst();
        long[] ids = raceForEachItem(nodeA, openAnotherNode(), claimDue, i -> claimDue);

        assertThat(nodeA.outbox().find(ids[RACES - 1])).get().satisfies(item -> {
            assertThat(item.state()).isEqualTo(OutboxState.DONE);
            assertThat(item.attempts()).isEqualTo(1);
        });
    }

    /** A probe ({@link OutboxStore#claimProbe}) and a drain or another probe on two nodes: one sends. */
    @Test
    default void aProbeRacingAClaimOrAProbeOnAnotherNode_neverWinsTheSameItem() throws Exception {
        Function<OutboxStore, Optional<Long>> probe = o -> o.claimProbe(RACE_DESTINATION).map(OutboxItem::id);
        Function<OutboxStore, Optional<Long>> claimDue = o -> o.claimDue(1).stream().map(OutboxItem::id).findFirst();

        raceForEachItem(store(), openAnotherNode(), probe, i -> i % 2 == 0 ? probe : claimDue);
    }

    /**
     * {@code RACES} times: node A enqueues an item, then both nodes claim at once (B with
     * {@code claimB} of the race's number) and the winner completes it. Exactly one must win each.
     *
     * @return the items' ids
     */
    private long[] raceForEachItem(AcmeSmimeStore nodeA, AcmeSmimeStore nodeB, Function<OutboxStore, Optional<Long>> claimA,
                                   IntFunction<Function<OutboxStore, Optional<Long>>> claimB) throws Exception {
        CyclicBarrier start = new CyclicBarrier(2);
        CyclicBarrier end = new CyclicBarrier(2);
        long[] ids = new long[RACES];
        List<long[]> claimed = race(
                () -> {
                    long[] got = new long[RACES];
                    for (int i = 0; i < RACES; i++) {
                        ids[i] = nodeA.outbox().enqueue(RACE_DESTINATION, new byte[] {(byte) i}).id();
                        got[i] = claimOne(nodeA, start, end, claimA);
                    }
                    return got;
                },
                () -> {
                    long[] got = new long[RACES];
                    for (int i = 0; i < RACES; i++) {
                        got[i] = claimOne(nodeB, start, end, claimB.apply(i));
                    }
                    return got;
                });
        for (int i = 0; i < RACES; i++) {
            long a = claimed.get(0)[i];
            long b = claimed.get(1)[i];
            assertThat((a == ids[i]) ^ (b == ids[i])).as("race %d: item %d, A got %d, B got %d", i, ids[i], a, b)
                    .isTrue();
            assertThat(a == 0 || b == 0).as("race %d: only one item was due", i).isTrue();
        }
        assertThat(nodeA.outbox().listPending(10)).isEmpty();
        return ids;
    }

    private static boolean[] claimAll(AcmeSmimeStore node, CyclicBarrier start) throws Exception {
        boolean[] won = new boolean[RACES];
        for (int i = 0; i < RACES; i++) {
            start.await(60, TimeUnit.SECONDS);
            won[i] = node.answeredChallenges().claim("<race-" + i + "@ca.example>", "token-part1", "alice@org.example");
        }
        return won;
    }

    /** Claims at most one item with {@code claim}, completes it if won, and waits for the other node: 0 if none. */
    private static long claimOne(AcmeSmimeStore node, CyclicBarrier start, CyclicBarrier end,
                                 Function<OutboxStore, Optional<Long>> claim) throws Exception {
        start.await(60, TimeUnit.SECONDS);
        Optional<Long> got = claim.apply(node.outbox());
        long id = 0;
        if (got.isPresent()) {
            id = got.get();
            assertThat(node.outbox().complete(id)).isTrue();
        }
        end.await(60, TimeUnit.SECONDS);
        return id;
    }

    @SafeVarargs
    private static <T> List<T> race(Callable<T>... racers) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(racers.length);
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (Callable<T> r : racers) {
                futures.add(pool.submit(r));
            }
            List<T> results = new ArrayList<>();
            for (Future<T> f : futures) {
                results.add(f.get());
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }
}
