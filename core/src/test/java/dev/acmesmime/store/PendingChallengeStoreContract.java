package dev.acmesmime.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import org.junit.jupiter.api.Test;

interface PendingChallengeStoreContract extends StoreFixture {
    URI URL_1 = URI.create("https://ca.example/acme/chall/1");
    URI URL_2 = URI.create("https://ca.example/acme/chall/2");
    URI URL_3 = URI.create("https://ca.example/acme/chall/3");
    String TOKEN_PART2 = "DGyRejmCefe7v4NfDGDKfA";

    default PendingChallengeStore pending() {
        return store().pendingChallenges();
    }

    default PendingChallenge.Registration registration(URI url, String mailbox, Duration lifetime) {
        return new PendingChallenge.Registration(url, mailbox, "acme-challenge@ca.example", TOKEN_PART2,
                "LPJNul-wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ", clock().instant().plus(lifetime));
    }

    @Test
    default void registeredChallengeIsFoundWithEveryField() {
        Instant now = Jdbc.truncate(clock().instant());
        assertThat(pending().register(registration(URL_1, "alice@org.example", Duration.ofHours(1)))).isTrue();

        assertThat(pending().find(URL_1)).contains(new PendingChallenge(URL_1, "alice@org.example",
                "acme-challenge@ca.example", TOKEN_PART2, "LPJNul-wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ", now,
                now.plus(Duration.ofHours(1)), ChallengeStatus.PENDING, Optional.empty(), Optional.empty()));
    }

    @Test
    default void registeringTheSameChallengeAgainKeepsTheFirst() {
        pending().register(registration(URL_1, "alice@org.example", Duration.ofHours(1)));

        assertThat(pending().register(registration(URL_1, "mallory@org.example", Duration.ofHours(2)))).isFalse();
        assertThat(pending().find(URL_1)).get().extracting(PendingChallenge::mailbox).isEqualTo("alice@org.example");
    }

    @Test
    default void unknownChallengeIsNotFound() {
        assertThat(pending().find(URL_1)).isEmpty();
        assertThat(pending().markAnswered(URL_1, "<r@org.example>")).isFalse();
    }

    @Test
    default void answerableChallengesArePendingUnexpiredAndForThatMailboxOldestFirst() {
        pending().register(registration(URL_1, "alice@org.example", Duration.ofMinutes(10)));
        clock().advance(Duration.ofSeconds(1));
        pending().register(registration(URL_2, "alice@org.example", Duration.ofHours(1)));
        pending().register(registration(URL_3, "bob@org.example", Duration.ofHours(1)));
        assertThat(pending().findAnswerable("alice@org.example")).extracting(PendingChallenge::challengeUrl)
                .containsExactly(URL_1, URL_2);

        clock().advance(Duration.ofMinutes(10));
        assertThat(pending().findAnswerable("alice@org.example")).extracting(PendingChallenge::challengeUrl)
                .containsExactly(URL_2);

        pending().markAnswered(URL_2, "<response@org.example>");
        assertThat(pending().findAnswerable("alice@org.example")).isEmpty();
    }

    @Test
    default void markAnsweredRecordsTimeAndResponseMessageIdOnce() {
        pending().register(registration(URL_1, "alice@org.example", Duration.ofHours(1)));
        clock().advance(Duration.ofMinutes(3));
        Instant answeredAt = Jdbc.truncate(clock().instant());

        assertThat(pending().markAnswered(URL_1, "<response-1@org.example>")).isTrue();
        assertThat(pending().markAnswered(URL_1, "<response-2@org.example>")).isFalse();

        PendingChallenge c = pending().find(URL_1).orElseThrow();
        assertThat(c.status()).isEqualTo(ChallengeStatus.ANSWERED);
        assertThat(c.answeredAt()).contains(answeredAt);
        assertThat(c.responseMessageId()).contains("<response-1@org.example>");
    }

    @Test
    default void expiredChallengeCannotBeAnswered() {
        pending().register(registration(URL_1, "alice@org.example", Duration.ofMinutes(5)));
        clock().advance(Duration.ofMinutes(5));

        assertThat(pending().markAnswered(URL_1, "<late@org.example>")).isFalse();
        assertThat(pending().find(URL_1)).get().extracting(PendingChallenge::status).isEqualTo(ChallengeStatus.PENDING);
    }

    @Test
    default void expireOverdueMarksOnlyPendingChallengesPastTheirExpiry() {
        pending().register(registration(URL_1, "alice@org.example", Duration.ofMinutes(5)));
        pending().register(registration(URL_2, "alice@org.example", Duration.ofMinutes(5)));
        pending().register(registration(URL_3, "alice@org.example", Duration.ofHours(1)));
        pending().markAnswered(URL_2, "<r@org.example>");
        clock().advance(Duration.ofMinutes(6));

        assertThat(pending().expireOverdue()).isEqualTo(1);
        assertThat(pending().find(URL_1)).get().extracting(PendingChallenge::status).isEqualTo(ChallengeStatus.EXPIRED);
        assertThat(pending().find(URL_2)).get().extracting(PendingChallenge::status).isEqualTo(ChallengeStatus.ANSWERED);
        assertThat(pending().find(URL_3)).get().extracting(PendingChallenge::status).isEqualTo(ChallengeStatus.PENDING);
        assertThat(pending().expireOverdue()).isZero();
    }

    @Test
    default void tokenPart2NeverAppearsInToString() {
        pending().register(registration(URL_1, "alice@org.example", Duration.ofHours(1)));

        assertThat(pending().find(URL_1).orElseThrow().toString()).doesNotContain(TOKEN_PART2).contains("redacted");
        assertThat(registration(URL_1, "a@b", Duration.ZERO).toString()).doesNotContain(TOKEN_PART2);
    }

    @Test
    default void findByMailboxListsEveryStatusNewestFirst() {
        pending().register(registration(URL_1, "alice@org.example", Duration.ofMinutes(10)));
        clock().advance(Duration.ofSeconds(1));
        pending().register(registration(URL_2, "alice@org.example", Duration.ofHours(1)));
        clock().advance(Duration.ofSeconds(1));
        pending().register(registration(URL_3, "bob@org.example", Duration.ofHours(1)));
        pending().markAnswered(URL_2, "<r@org.example>");
        clock().advance(Duration.ofMinutes(10));
        pending().expireOverdue();

        assertThat(pending().findByMailbox("alice@org.example", 10))
                .extracting(PendingChallenge::challengeUrl, PendingChallenge::status)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(URL_2, ChallengeStatus.ANSWERED),
                        org.assertj.core.groups.Tuple.tuple(URL_1, ChallengeStatus.EXPIRED));
        assertThat(pending().findByMailbox("alice@org.example", 1)).hasSize(1);
        assertThat(pending().findByMailbox("carol@org.example", 10)).isEmpty();
    }

    @Test
    default void answeredCountsArePerMailboxAndPerChallengeDomainSinceAnInstant() {
        Instant start = clock().instant();
        pending().register(registration(URL_1, "alice@org.example", Duration.ofHours(2)));
        pending().register(registration(URL_2, "alice@org.example", Duration.ofHours(2)));
        pending().register(new PendingChallenge.Registration(URL_3, "bob@org.example", "ACME@Other_CA.example",
                TOKEN_PART2, "LPJNul-wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ", clock().instant().plus(Duration.ofHours(2))));
        pending().markAnswered(URL_1, "<r1@org.example>");
        clock().advance(Duration.ofMinutes(30));
        pending().markAnswered(URL_2, "<r2@org.example>");
        pending().markAnswered(URL_3, "<r3@org.example>");

        assertThat(pending().countAnsweredSince("alice@org.example", start)).isEqualTo(2);
        assertThat(pending().countAnsweredSince("alice@org.example", start.plus(Duration.ofMinutes(1)))).isEqualTo(1);
        assertThat(pending().countAnsweredSince("bob@org.example", start)).isEqualTo(1);
        assertThat(pending().countAnsweredFromDomainSince("CA.example", start)).isEqualTo(2);
        assertThat(pending().countAnsweredFromDomainSince("other_ca.example", start)).isEqualTo(1);
        // "_" is a LIKE wildcard: it must match only itself
        assertThat(pending().countAnsweredFromDomainSince("otherXca.example", start)).isZero();
        assertThat(pending().countAnsweredFromDomainSince("ca.example", clock().instant().plusSeconds(1))).isZero();
    }

    @Test
    default void pendingCountIsPendingUnexpiredChallengesOfEveryMailbox() {
        assertThat(pending().countPending()).isZero();
        pending().register(registration(URL_1, "alice@org.example", Duration.ofMinutes(10)));
        pending().register(registration(URL_2, "alice@org.example", Duration.ofHours(1)));
        pending().register(registration(URL_3, "bob@org.example", Duration.ofHours(1)));
        assertThat(pending().countPending()).isEqualTo(3);

        assertThat(pending().markAnswered(URL_2, "<r@org.example>")).isTrue();
        assertThat(pending().countPending()).isEqualTo(2);

        clock().advance(Duration.ofMinutes(10));
        assertThat(pending().countPending()).as("expired, though not yet marked").isEqualTo(1);
    }
}
