package dev.acmesmime.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

/** CA role: issued challenges (correlation facts, single use, rate-limit counts) and evidence records. */
interface IssuedChallengeStoreContract extends StoreFixture {
    String T1 = "aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789-_aBcDeF";

    default IssuedChallenge sent(String messageId, String identifier, String tag) {
        Instant now = Jdbc.truncate(clock().instant());
        return IssuedChallenge.sent(messageId, T1, identifier, "acme+" + tag + "@ca.example", tag, now,
                now.plus(Duration.ofHours(24)));
    }

    @Test
    default void issuedChallengeIsFoundByMessageIdTokenAndTag() {
        IssuedChallenge c = sent("<c1@ca.example>", "alice@org.example", "t1");
        assertThat(store().issuedChallenges().record(c)).isTrue();
        assertThat(store().issuedChallenges().record(c)).as("recorded once").isFalse();

        assertThat(store().issuedChallenges().find("<c1@ca.example>")).contains(c);
        assertThat(store().issuedChallenges().findByToken(T1)).containsExactly(c);
        assertThat(store().issuedChallenges().findByTag("t1")).containsExactly(c);
        assertThat(store().issuedChallenges().findByTag("t2")).isEmpty();
    }

    @Test
    default void b6_aChallengeIsConsumedOnce_theSameDigestIsADuplicate_anotherDigestComesTooLate() {
        store().issuedChallenges().record(sent("<c1@ca.example>", "alice@org.example", "t1"));
        var s = store().issuedChallenges();

        assertThat(s.consume("<c1@ca.example>", "digestA=", "v1")).isEqualTo(IssuedChallengeStore.Consumption.FIRST);
        assertThat(s.consume("<c1@ca.example>", "digestA", "v2")).isEqualTo(IssuedChallengeStore.Consumption.DUPLICATE);
        assertThat(s.consume("<c1@ca.example>", "digestB", "v3")).isEqualTo(IssuedChallengeStore.Consumption.ALREADY_USED);
        assertThat(s.consume("<c9@ca.example>", "digestA", "v4")).isEqualTo(IssuedChallengeStore.Consumption.UNKNOWN);
        IssuedChallenge after = s.find("<c1@ca.example>").orElseThrow();
        assertThat(after.validationId()).contains("v1");
        assertThat(after.consumedAt()).isPresent();
        assertThat(s.attachOutbox("<c1@ca.example>", 42)).isTrue();
        assertThat(s.attachOutbox("<c1@ca.example>", 43)).isFalse();
        assertThat(s.find("<c1@ca.example>").orElseThrow().outboxId()).contains(42L);
    }

    @Test
    default void twoNodesConsumingTogether_exactlyOneWins() throws Exception {
        store().issuedChallenges().record(sent("<c1@ca.example>", "alice@org.example", "t1"));
        AcmeSmimeStore other = openAnotherNode();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<IssuedChallengeStore.Consumption>> results = new ArrayList<>();
            for (AcmeSmimeStore node : List.of(store(), other)) {
                results.add(pool.submit(() -> {
                    go.await();
                    return node.issuedChallenges().consume("<c1@ca.example>", "digestA", "v-" + node.hashCode());
                }));
            }
            go.countDown();
            List<IssuedChallengeStore.Consumption> got = new ArrayList<>();
            for (Future<IssuedChallengeStore.Consumption> f : results) {
                got.add(f.get());
            }
            assertThat(got).containsExactlyInAnyOrder(IssuedChallengeStore.Consumption.FIRST,
                    IssuedChallengeStore.Consumption.DUPLICATE);
        } finally {
            pool.shutdown();
        }
    }

    @Test
    default void challengesAreCountedPerRecipientAndPerDomainSinceAnInstant() {
        var s = store().issuedChallenges();
        s.record(sent("<c1@ca.example>", "alice@org.example", "t1"));
        s.record(sent("<c2@ca.example>", "alice@org.example", "t2"));
        s.record(sent("<c3@ca.example>", "bob@Org.Example", "t3"));
        Instant before = clock().instant().minusSeconds(1);

        assertThat(s.countForIdentifierSince("alice@org.example", before)).isEqualTo(2);
        assertThat(s.countForDomainSince("org.example", before)).isEqualTo(3);
        assertThat(s.countForDomainSince("ORG.example", clock().instant().plusSeconds(1))).isZero();
    }

    @Test
    default void evidenceIsAppendedFoundByAddressAndTokenAndPurgedWithTheAuditRetention() {
        byte[] json = "{\"raw\":\"...\"}".getBytes(StandardCharsets.UTF_8);
        EvidenceRecord e = store().evidence().append("response", "alice@org.example", T1, "<r1@org.example>",
                "forwarded", json);
        store().evidence().append("response", "bob@org.example", "other", null, "dkim-none", json);

        assertThat(store().evidence().find(e.id()).orElseThrow().json()).isEqualTo(json);
        assertThat(store().evidence().find(AuditQuery.builder().address("alice@org.example").build()))
                .singleElement().satisfies(r -> {
                    assertThat(r.outcome()).isEqualTo("forwarded");
                    assertThat(r.token()).contains(T1);
                    assertThat(r.messageId()).contains("<r1@org.example>");
                });
        assertThat(store().evidence().find(AuditQuery.builder().token("other").build())).hasSize(1)
                .allSatisfy(r -> assertThat(r.messageId()).isEqualTo(Optional.empty()));
        clock().advance(settings().auditRetention().plusDays(1));
        assertThat(store().evidence().purgeExpired()).isEqualTo(2);
        assertThat(store().evidence().find(e.id())).isEmpty();
    }

    @Test
    default void aTransactionCommitsItsCallsTogether_orNoneOfThemWhenItThrows() {
        byte[] json = "{}".getBytes(StandardCharsets.UTF_8);
        store().inTransaction(() -> {
            store().issuedChallenges().record(sent("<c1@ca.example>", "alice@org.example", "t1"));
            store().evidence().append("response", "alice@org.example", T1, null, "forwarded", json);
            return null;
        });
        assertThat(store().issuedChallenges().find("<c1@ca.example>")).isPresent();

        try {
            store().inTransaction(() -> {
                store().issuedChallenges().consume("<c1@ca.example>", "digestA", "v1");
                store().outbox().enqueue("acme-server", json);
                throw new IllegalStateException("crash between the writes");
            });
        } catch (IllegalStateException expected) {
            // the transaction must be rolled back
        }
        assertThat(store().issuedChallenges().find("<c1@ca.example>").orElseThrow().consumedAt()).isEmpty();
        assertThat(store().outbox().listPending(10)).isEmpty();
        assertThat(store().issuedChallenges().consume("<c1@ca.example>", "digestA", "v2"))
                .isEqualTo(IssuedChallengeStore.Consumption.FIRST);
    }

    @Test
    default void aDuplicateRecordInsideATransaction_leavesTheTransactionUsable() {
        store().issuedChallenges().record(sent("<c1@ca.example>", "alice@org.example", "t1"));

        boolean second = store().inTransaction(() -> {
            boolean added = store().issuedChallenges().record(sent("<c1@ca.example>", "bob@org.example", "t2"));
            // PostgreSQL refuses every statement of a transaction after a failed one, unless rolled back to a savepoint
            store().audit().append(AuditRecord.entry(AuditEvent.CHALLENGE_HELD).outcome("duplicate-message-id"));
            return added;
        });

        assertThat(second).isFalse();
        assertThat(store().issuedChallenges().find("<c1@ca.example>").orElseThrow().identifier())
                .isEqualTo("alice@org.example");
    }

    @Test
    default void twoNodesCountingAndRecordingUnderTheDomainLock_neverBothTakeTheLastPlace() throws Exception {
        int races = 10;
        try (AcmeSmimeStore nodeB = openAnotherNode()) {
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                for (int race = 0; race < races; race++) {
                    String domain = "race" + race + ".example";
                    CountDownLatch start = new CountDownLatch(1);
                    List<Future<Boolean>> wins = new ArrayList<>();
                    for (AcmeSmimeStore node : List.of(store(), nodeB)) {
                        String id = "<" + race + "-" + wins.size() + "@ca.example>";
                        wins.add(pool.submit(() -> {
                            start.await();
                            return recordIfFirst(node, sent(id, "user" + id.hashCode() + "@" + domain, "t"), domain);
                        }));
                    }
                    start.countDown();
                    assertThat(wins.get(0).get() ^ wins.get(1).get()).as("race %d: one node records", race).isTrue();
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    /** The issuer's pattern: lock the domain, count, record only while the domain has no challenge. */
    private static boolean recordIfFirst(AcmeSmimeStore node, IssuedChallenge c, String domain) {
        return node.inTransaction(() -> {
            node.issuedChallenges().lockDomain(domain);
            if (node.issuedChallenges().countForDomainSince(domain, c.createdAt().minusSeconds(60)) > 0) {
                return false;
            }
            return node.issuedChallenges().record(c);
        });
    }
}
