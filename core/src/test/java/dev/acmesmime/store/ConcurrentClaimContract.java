package dev.acmesmime.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * Two nodes (two stores, each with its own connection pool) race for the same thing again and
 * again; every race must have exactly one winner.
 */
interface ConcurrentClaimContract extends StoreFixture {
    int RACES = 1000;

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
        AcmeSmimeStore nodeB = openAnotherNode();
        CyclicBarrier start = new CyclicBarrier(2);
        CyclicBarrier end = new CyclicBarrier(2);
        long[] ids = new long[RACES];

        List<long[]> claimed = race(
                () -> {
                    long[] got = new long[RACES];
                    for (int i = 0; i < RACES; i++) {
                        ids[i] = nodeA.outbox().enqueue("https://ca.example/forward", new byte[] {(byte) i}).id();
                        got[i] = claimOne(nodeA, start, end);
                    }
                    return got;
                },
                () -> {
                    long[] got = new long[RACES];
                    for (int i = 0; i < RACES; i++) {
                        got[i] = claimOne(nodeB, start, end);
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
        assertThat(nodeA.outbox().find(ids[RACES - 1])).get().satisfies(item -> {
            assertThat(item.state()).isEqualTo(OutboxState.DONE);
            assertThat(item.attempts()).isEqualTo(1);
        });
    }

    private static boolean[] claimAll(AcmeSmimeStore node, CyclicBarrier start) throws Exception {
        boolean[] won = new boolean[RACES];
        for (int i = 0; i < RACES; i++) {
            start.await(60, TimeUnit.SECONDS);
            won[i] = node.answeredChallenges().claim("<race-" + i + "@ca.example>", "token-part1", "alice@org.example");
        }
        return won;
    }

    /** Claims at most one due item, completes it if won, and waits for the other node: 0 if none. */
    private static long claimOne(AcmeSmimeStore node, CyclicBarrier start, CyclicBarrier end) throws Exception {
        start.await(60, TimeUnit.SECONDS);
        List<OutboxItem> got = node.outbox().claimDue(1);
        long id = 0;
        if (!got.isEmpty()) {
            id = got.get(0).id();
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
