package dev.acmesmime.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

interface AuditStoreContract extends StoreFixture {

    default AuditStore audit() {
        return store().audit();
    }

    default AuditRecord append(AuditEvent event, String address, String token) {
        return audit().append(AuditRecord.entry(event).address(address).token(token));
    }

    @Test
    default void appendStampsTheClockAndKeepsEveryField() {
        Instant now = Jdbc.truncate(clock().instant());
        AuditRecord r = audit().append(AuditRecord.entry(AuditEvent.RESPONSE_FORWARDED).address("alice@org.example")
                .token("tok-1").messageId("<m1@org.example>").outcome("ok").detail("HTTP 200 in 12 ms"));

        AuditRecord expected = new AuditRecord(r.id(), now, "response-forwarded", Optional.of("alice@org.example"),
                Optional.of("tok-1"), Optional.of("<m1@org.example>"), Optional.of("ok"), Optional.of("HTTP 200 in 12 ms"));
        assertThat(r).isEqualTo(expected);
        assertThat(audit().find(AuditQuery.builder().build())).containsExactly(expected);
    }

    @Test
    default void codesAreKeptAsDataInOrder() {
        AuditRecord r = audit().append(AuditRecord.entry(AuditEvent.CHALLENGE_IGNORED).address("alice@org.example")
                .outcome("dkim-none").codes(List.of("dkim-none", "no-pending-challenge")).detail("codes=whatever"));

        assertThat(r.codes()).containsExactly("dkim-none", "no-pending-challenge");
        assertThat(audit().find(AuditQuery.builder().build())).containsExactly(r);
        assertThat(append(AuditEvent.CHALLENGE_ANSWERED, "bob@org.example", "t").codes()).isEmpty();
        assertThatThrownBy(() -> AuditRecord.entry(AuditEvent.CHALLENGE_IGNORED).codes(List.of("a,b")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    default void optionalFieldsMayBeAbsent() {
        AuditRecord r = audit().append(AuditRecord.entry(AuditEvent.CHALLENGE_REGISTERED));

        assertThat(audit().find(AuditQuery.builder().build())).singleElement().satisfies(found -> {
            assertThat(found).isEqualTo(r);
            assertThat(found.address()).isEmpty();
            assertThat(found.detail()).isEmpty();
        });
    }

    @Test
    default void recordsAreFoundByAddressTokenAndTime() {
        AuditRecord a1 = append(AuditEvent.CHALLENGE_ANSWERED, "alice@org.example", "t1");
        clock().advance(Duration.ofHours(1));
        AuditRecord b1 = append(AuditEvent.CHALLENGE_ANSWERED, "bob@org.example", "t2");
        clock().advance(Duration.ofHours(1));
        AuditRecord a2 = append(AuditEvent.RESPONSE_FORWARDED, "alice@org.example", "t2");

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
        append(AuditEvent.CHALLENGE_IGNORED, "alice@org.example", "t1");
        clock().advance(Duration.ofDays(824));
        AuditRecord young = append(AuditEvent.CHALLENGE_ANSWERED, "alice@org.example", "t2");
        clock().advance(Duration.ofDays(1));
        assertThat(audit().purgeExpired()).isZero();

        clock().advance(Duration.ofSeconds(1));
        assertThat(audit().purgeExpired()).isEqualTo(1);
        assertThat(audit().find(AuditQuery.builder().build())).containsExactly(young);
    }

    @Test
    default void longDetailIsCutNotRefused() {
        audit().append(AuditRecord.entry(AuditEvent.CHALLENGE_HELD).detail("x".repeat(10_000)));

        assertThat(audit().find(AuditQuery.builder().build())).singleElement()
                .satisfies(r -> assertThat(r.detail().orElseThrow()).hasSize(8000).endsWith("…"));
    }

    @Test
    default void overLongValuesAreShortenedByTheOneRule() {
        String address = "a".repeat(400) + "@org.example";
        AuditRecord r = audit().append(AuditRecord.entry(AuditEvent.CHALLENGE_IGNORED).address(address)
                .token("t".repeat(300)).messageId("<" + "m".repeat(1200) + ">").outcome("o".repeat(70)));

        assertThat(r.address().orElseThrow()).hasSize(RecordLimits.ADDRESS).startsWith("aaa").endsWith("…");
        assertThat(r.token().orElseThrow()).hasSize(RecordLimits.TOKEN).endsWith("…");
        assertThat(r.messageId().orElseThrow()).hasSize(RecordLimits.MESSAGE_ID).endsWith("…");
        assertThat(r.outcome().orElseThrow()).hasSize(RecordLimits.OUTCOME).endsWith("…");
        assertThat(audit().find(AuditQuery.builder().build())).containsExactly(r);
    }

    @Test
    default void latestListsTheNewestRecordsOfAnAddressAndEventsNewestFirst() {
        append(AuditEvent.CHALLENGE_IGNORED, "alice@org.example", "t1");
        clock().advance(Duration.ofSeconds(1));
        append(AuditEvent.CHALLENGE_ANSWERED, "alice@org.example", "t2");
        clock().advance(Duration.ofSeconds(1));
        append(AuditEvent.RESPONSE_FORWARDED, "alice@org.example", "t3");
        append(AuditEvent.CHALLENGE_IGNORED, "bob@org.example", "t4");
        clock().advance(Duration.ofSeconds(1));
        append(AuditEvent.CHALLENGE_IGNORED, "alice@org.example", "t5");

        java.util.Set<AuditEvent> events = java.util.Set.of(AuditEvent.CHALLENGE_IGNORED, AuditEvent.CHALLENGE_ANSWERED);
        assertThat(audit().latest("alice@org.example", events, 10)).extracting(r -> r.token().orElseThrow())
                .containsExactly("t5", "t2", "t1");
        assertThat(audit().latest("alice@org.example", events, 2)).extracting(r -> r.token().orElseThrow())
                .containsExactly("t5", "t2");
        assertThat(audit().latest("alice@org.example", java.util.Set.of(), 2)).isEmpty();
    }
}
