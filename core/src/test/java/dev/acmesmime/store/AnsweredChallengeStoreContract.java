package dev.acmesmime.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

interface AnsweredChallengeStoreContract extends StoreFixture {

    default AnsweredChallengeStore answered() {
        return store().answeredChallenges();
    }

    @Test
    default void firstClaimWinsAndEveryLaterClaimLoses() {
        assertThat(answered().claim("<c1@ca.example>", "token-part1", "alice@org.example")).isTrue();
        assertThat(answered().claim("<c1@ca.example>", "token-part1", "alice@org.example")).isFalse();
        assertThat(openAnotherNode().answeredChallenges().claim("<c1@ca.example>", "token-part1", "alice@org.example"))
                .isFalse();
    }

    @Test
    default void claimIsKeyedByMessageIdAndTokenPart1() {
        assertThat(answered().claim("<c1@ca.example>", "token-a", "alice@org.example")).isTrue();
        assertThat(answered().claim("<c1@ca.example>", "token-b", "alice@org.example")).isTrue();
        assertThat(answered().claim("<c2@ca.example>", "token-a", "alice@org.example")).isTrue();
    }

    @Test
    default void claimRecordsTimeAndNode() {
        Instant now = Jdbc.truncate(clock().instant());
        openAnotherNode().answeredChallenges().claim("<c1@ca.example>", "token-part1", "alice@org.example");

        assertThat(answered().find("<c1@ca.example>", "token-part1")).contains(
                new AnsweredChallenge("<c1@ca.example>", "token-part1", "alice@org.example", now, "node-b"));
        assertThat(answered().find("<c1@ca.example>", "other")).isEmpty();
    }

    @Test
    default void purgeDeletesOnlyOlderClaims() {
        answered().claim("<old@ca.example>", "t", "alice@org.example");
        clock().advance(Duration.ofDays(30));
        answered().claim("<new@ca.example>", "t", "alice@org.example");

        assertThat(answered().purgeClaimedBefore(clock().instant().minus(Duration.ofDays(1)))).isEqualTo(1);
        assertThat(answered().find("<old@ca.example>", "t")).isEmpty();
        assertThat(answered().find("<new@ca.example>", "t")).isPresent();
    }
}
