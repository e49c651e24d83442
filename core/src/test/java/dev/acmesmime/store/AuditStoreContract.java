package dev.acmesmime.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import org.junit.jupiter.api.Test;

interface AuditStoreContract extends StoreFixture {

    default AuditStore audit() {
        return store().audit();
    }

    default AuditRecord append(String event, String address, String token) {
        return audit().append(AuditRecord.entry(event).address(address).token(token));
    }

    @Test
    default void appendStampsTheClockAndKeepsEveryField() {
        Instant now = Jdbc.truncate(clock().instant());
        AuditRecord r = audit().append(AuditRecord.entry("response-forwarded").address("alice@org.example")
                .token("tok-1").messageId("<m1@org.example>").outcome("ok").detail("HTTP 200 in 12 ms"));

        AuditRecord expected = new AuditRecord(r.id(), now, "response-forwarded", Optional.of("alice@org.example"),
                Optional.of("tok-1"), Optional.of("<m1@org.example>"), Optional.of("ok"), Optional.of("HTTP 200 in 12 ms"));
        assertThat(r).isEqualTo(expected);
        assertThat(audit().find(AuditQuery.builder().build())).containsExactly(expected);
    }

    @Test
    default void optionalFieldsMayBeAbsent() {
        AuditRecord r = audit().append(AuditRecord.entry("store-opened"));

        assertThat(audit().find(AuditQuery.builder().build())).singleElement().satisfies(found -> {
            assertThat(found).isEqualTo(r);
            assertThat(found.address()).isEmpty();
            assertThat(found.detail()).isEmpty();
        });
    }

    @Test
    default void recordsAreFoundByAddressTokenAndTime() {
        AuditRecord a1 = append("challenge-answered", "alice@org.example", "t1");
        clock().advance(Duration.ofHours(1));
        AuditRecord b1 = append("challenge-answered", "bob@org.example", "t2");
        clock().advance(Duration.ofHours(1));
        AuditRecord a2 = append("response-forwarded", "alice@org.example", "t2");

        assertThat(audit().find(AuditQuery.builder().address("alice@org.example").build())).containsExactly(a1, a2);
        assertThat(audit().find(AuditQuery.builder().token("t2").build())).containsExactly(b1, a2);
        assertThat(audit().find(AuditQuery.builder().from(b1.occurredAt()).until(a2.occurredAt()).build()))
                .containsExactly(b1);
        assertThat(audit().find(AuditQuery.builder().address("alice@org.example").from(b1.occurredAt()).build()))
                .containsExactly(a2);
        assertThat(audit().find(AuditQuery.builder().limit(2).build())).containsExactly(a1, b1);
    }

    @Test
    default void retentionDefaultsTo825Days() {
        assertThat(audit().retention()).isEqualTo(Duration.ofDays(825));
    }

    @Test
    default void purgeDeletesOnlyRecordsOlderThanTheRetention() {
        append("old", "alice@org.example", "t1");
        clock().advance(Duration.ofDays(824));
        AuditRecord young = append("young", "alice@org.example", "t2");
        clock().advance(Duration.ofDays(1));
        assertThat(audit().purgeExpired()).isZero();

        clock().advance(Duration.ofSeconds(1));
        assertThat(audit().purgeExpired()).isEqualTo(1);
        assertThat(audit().find(AuditQuery.builder().build())).containsExactly(young);
    }

    @Test
    default void longDetailIsCutNotRefused() {
        audit().append(AuditRecord.entry("big").detail("x".repeat(10_000)));

        assertThat(audit().find(AuditQuery.builder().build())).singleElement()
                .satisfies(r -> assertThat(r.detail().orElseThrow()).hasSize(8000).endsWith("…"));
    }

    @Test
    default void latestListsTheNewestRecordsOfAnAddressAndEventsNewestFirst() {
        append("challenge-ignored", "alice@org.example", "t1");
        clock().advance(Duration.ofSeconds(1));
        append("challenge-answered", "alice@org.example", "t2");
        clock().advance(Duration.ofSeconds(1));
        append("response-forwarded", "alice@org.example", "t3");
        append("challenge-ignored", "bob@org.example", "t4");
        clock().advance(Duration.ofSeconds(1));
        append("challenge-ignored", "alice@org.example", "t5");

        java.util.Set<String> events = java.util.Set.of("challenge-ignored", "challenge-answered");
        assertThat(audit().latest("alice@org.example", events, 10)).extracting(r -> r.token().orElseThrow())
                .containsExactly("t5", "t2", "t1");
        assertThat(audit().latest("alice@org.example", events, 2)).extracting(r -> r.token().orElseThrow())
                .containsExactly("t5", "t2");
        assertThat(audit().latest("alice@org.example", java.util.Set.of(), 2)).isEmpty();
    }
}
