package dev.acmesmime.ca;

import dev.acmesmime.ca.forward.ForwardFixtures;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.acmesmime.ca.ChallengeRecorder.Notice;
import dev.acmesmime.ca.ChallengeRecorder.Outcome;
import dev.acmesmime.ca.ChallengeRecorder.Result;
import dev.acmesmime.rfc8823.FailureCode;
import dev.acmesmime.rfc8823.TokenPart1;
import dev.acmesmime.store.AuditEvent;
import dev.acmesmime.store.AcmeSmimeStore;
import dev.acmesmime.store.AuditRecord;
import dev.acmesmime.store.IssuedChallenge;
import dev.acmesmime.testing.MutableClock;

/**
 * Issue 6: the challenge facts from the ACME server's notification (not through the challenge
 * signer), on a real H2 store.
 */
class ChallengeRecorderTest {
    static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");
    static final String CID = "<c-1@ca.example>";
    static final String T1 = ForwardFixtures.TOKEN1;

    @TempDir
    Path home;
    AcmeSmimeStore store;
    ChallengeRecorder registration;

    @BeforeEach
    void setUp() throws IOException {
        MutableClock clock = new MutableClock(NOW);
        store = ForwardFixtures.openStore(home, clock);
        registration = new ChallengeRecorder(store, clock);
    }

    @AfterEach
    void tearDown() {
        store.close();
    }

    private Result register(String messageId, String token, String recipient, String responseAddress, String createdAt) {
        return registration.register(new Notice(messageId, token, recipient, responseAddress, createdAt),
                "test from 127.0.0.1");
    }

    private List<AuditRecord> audit() {
        return ForwardFixtures.audit(store, AuditEvent.CHALLENGE_REGISTERED.value());
    }

    @Test
    void b7_newFacts_areRecordedAsTheSignerRecordsThem_withTheTagOfTheResponseAddress_andAnAuditRecord() {
        Result r = register(CID, T1, "alice@example.org", "acme+t1@ca.example", "2026-11-28T10:00:00Z");

        assertThat(r.outcome()).isEqualTo(Outcome.REGISTERED);
        IssuedChallenge c = store.issuedChallenges().find(CID).orElseThrow();
        assertThat(c.tokenPart1()).isEqualTo(T1);
        assertThat(c.identifier()).isEqualTo("alice@example.org");
        assertThat(c.responseAddress()).isEqualTo("acme+t1@ca.example");
        assertThat(c.tag()).contains("t1");
        assertThat(c.createdAt()).isEqualTo(Instant.parse("2026-11-28T10:00:00Z"));
        assertThat(c.expiresAt()).isEqualTo(Instant.parse("2026-11-29T10:00:00Z"));
        assertThat(c.consumedAt()).isEmpty();
        assertThat(store.issuedChallenges().findByTag("t1")).extracting(IssuedChallenge::messageId).containsExactly(CID);
        assertThat(audit()).singleElement().satisfies(a -> {
            assertThat(a.outcome()).contains("registered");
            assertThat(a.address()).contains("alice@example.org");
            assertThat(a.token()).contains(T1);
            assertThat(a.messageId()).contains(CID);
            assertThat(a.detail().orElseThrow()).contains("expires 2026-11-29T10:00:00Z").contains("test from 127.0.0.1");
        });
    }

    @Test
    void createdAtDefaultsToNow_andABareMessageIdGetsItsBrackets() {
        assertThat(register("c-2@ca.example", T1, "bob@example.org", "acme@ca.example", null).outcome())
                .isEqualTo(Outcome.REGISTERED);
        IssuedChallenge c = store.issuedChallenges().find("<c-2@ca.example>").orElseThrow();
        assertThat(c.createdAt()).isEqualTo(NOW);
        assertThat(c.tag()).isEmpty();
    }

    @Test
    void b7_aChallengeCreatedLongerAgoThanTheValidity_isRecordedAnyway_alreadyExpired() {
        assertThat(register(CID, T1, "alice@example.org", "acme@ca.example", NOW.minus(Duration.ofHours(25)).toString())
                .outcome()).isEqualTo(Outcome.REGISTERED);
        assertThat(store.issuedChallenges().find(CID).orElseThrow().expiresAt()).isBefore(NOW);
    }

    @Test
    void theSameFactsAgain_areIdempotent_withOrWithoutCreatedAt_alsoAfterTheSignerRecordedThem() {
        store.issuedChallenges().record(IssuedChallenge.sent(CID, T1, "alice@example.org", "acme+t1@ca.example", "t1",
                NOW.minusSeconds(60), NOW.minusSeconds(60).plus(Duration.ofHours(24))));

        Result again = register(CID, T1, "alice@example.org", "acme+t1@ca.example", NOW.minusSeconds(60).toString());
        Result withoutTime = register(CID, T1, "alice@EXAMPLE.org", "acme+t1@ca.example", null);

        assertThat(List.of(again, withoutTime)).allSatisfy(r -> {
            assertThat(r.outcome()).isEqualTo(Outcome.ALREADY_REGISTERED);
            assertThat(r.challenge().orElseThrow().createdAt()).isEqualTo(NOW.minusSeconds(60));
        });
        assertThat(audit()).extracting(a -> a.outcome().orElseThrow())
                .containsExactly("already-registered", "already-registered");
    }

    @Test
    void otherFactsUnderARecordedMessageId_areAConflict_namingTheFields_andChangeNothing() {
        register(CID, T1, "alice@example.org", "acme+t1@ca.example", "2026-11-28T10:00:00Z");

        Result r = register(CID, T1.replace('a', 'b'), "mallory@example.org", "acme+t1@ca.example",
                "2026-11-28T10:00:00Z");
        Result time = register(CID, T1, "alice@example.org", "acme+t1@ca.example", "2026-11-28T11:00:00Z");

        assertThat(r.outcome()).isEqualTo(Outcome.CONFLICT);
        assertThat(r.field()).contains("tokenPart1");
        assertThat(r.reason()).isEqualTo("'messageId' " + CID + " is registered with other facts: tokenPart1, recipient differ");
        assertThat(time.reason()).endsWith("createdAt differ");
        IssuedChallenge c = store.issuedChallenges().find(CID).orElseThrow();
        assertThat(c.tokenPart1()).isEqualTo(T1);
        assertThat(c.identifier()).isEqualTo("alice@example.org");
        assertThat(audit()).extracting(a -> a.outcome().orElseThrow()).containsExactly("registered", "conflict", "conflict");
        assertThat(audit().get(1).address()).contains("mallory@example.org");
    }

    @Test
    void c4_badFields_areInvalid_withAOneLineReasonNamingTheField_usingCoresTokenRule() {
        String future = NOW.plusSeconds(3600).toString();
        assertInvalid(register(null, T1, "a@example.org", "acme@ca.example", null), "messageId", "'messageId' is missing");
        assertInvalid(register("<no-at-sign>", T1, "a@example.org", "acme@ca.example", null), "messageId",
                "'messageId' \"<no-at-sign>\" is not one msg-id");
        assertInvalid(register(CID, " ", "a@example.org", "acme@ca.example", null), "tokenPart1", "'tokenPart1' is missing");
        assertInvalid(register(CID, "AAAAAAAAAAA", "a@example.org", "acme@ca.example", null), "tokenPart1",
                "'tokenPart1' token-too-short: token-part1 decodes to 8 octets (64 bits)");
        assertInvalid(register(CID, "not base64url!", "a@example.org", "acme@ca.example", null), "tokenPart1",
                "'tokenPart1' subject-syntax: token-part1 \"not base64url!\" is not base64url (C4)");
        assertInvalid(register(CID, "A".repeat(256), "a@example.org", "acme@ca.example", null), "tokenPart1",
                "'tokenPart1' is longer than 255 characters");
        assertInvalid(register(CID, T1, "a@example.org, b@example.org", "acme@ca.example", null), "recipient",
                "'recipient' \"a@example.org, b@example.org\" is not one address");
        assertInvalid(register(CID, T1, "Alice <a@example.org>", "acme@ca.example", null), "recipient",
                "'recipient' ");
        assertInvalid(register(CID, T1, "a@" + "b".repeat(252) + ".org", "acme@ca.example", null), "recipient",
                "'recipient' has a domain longer than 255 characters"); // found by fuzzing: was a store error, a 500
        assertInvalid(register(CID, T1, "a@example.org", null, null), "responseAddress", "'responseAddress' is missing");
        assertInvalid(register(CID, T1, "a@example.org", "acme@ca.example", "yesterday"), "createdAt",
                "'createdAt' \"yesterday\" is not an ISO-8601 instant");
        assertInvalid(register(CID, T1, "a@example.org", "acme@ca.example", future), "createdAt",
                "'createdAt' " + future + " is in the future (now " + NOW + ")");

        assertThat(store.issuedChallenges().find(CID)).isEmpty();
        assertThat(audit()).hasSize(12).allSatisfy(a -> {
            assertThat(a.outcome()).contains("invalid");
            assertThat(a.detail().orElseThrow()).startsWith("'").doesNotContain("\n");
        });
    }

    private static void assertInvalid(Result r, String field, String reasonStart) {
        assertThat(r.outcome()).isEqualTo(Outcome.INVALID);
        assertThat(r.field()).isEqualTo(Optional.of(field));
        assertThat(r.reason()).startsWith(reasonStart).doesNotContain("\n");
        assertThat(r.challenge()).isEmpty();
    }

    @Test
    void c4_tokenPart1Check_isTheSubjectRulesCheck() {
        assertThat(TokenPart1.check(T1).ok()).isTrue();
        assertThat(TokenPart1.check(T1).code()).isEqualTo(FailureCode.TOKEN_TOO_SHORT);
        assertThat(TokenPart1.check("AAAAAAAAAAAAAAAAAAAAAA").ok()).as("16 octets, 128 bits").isTrue();
        assertThat(TokenPart1.check("AAAAAAAAAAAAAAAAAAAAA").ok()).as("15 octets").isFalse();
        assertThat(TokenPart1.check("AAAA=").code()).isEqualTo(FailureCode.SUBJECT_SYNTAX);
        assertThat(TokenPart1.check("").code()).isEqualTo(FailureCode.SUBJECT_SYNTAX);
    }
}
