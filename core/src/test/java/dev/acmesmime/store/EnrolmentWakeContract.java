package dev.acmesmime.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

/**
 * {@link EnrolmentStore#wake}: the responder's word that a challenge was answered makes the enrolment
 * waiting for exactly that challenge due at once, and touches nothing else.
 */
interface EnrolmentWakeContract extends StoreFixture {
    URI WOKEN_CHALLENGE = URI.create("https://ca.example/acme/chall/42");
    Duration WAKE_LEASE = Duration.ofMinutes(5);

    private Enrolment waiting(String mailbox, EnrolmentStep step, URI challenge, Instant next) {
        return store().enrolments().save(Enrolment.of(mailbox).withStep(step).withChallengeUrl(challenge)
                .withSchedule(0, next));
    }

    @Test
    default void anAnsweredChallengesEnrolmentIsDueAtOnce() {
        Instant now = clock().instant();
        waiting("alice@org.example", EnrolmentStep.CHALLENGE_REGISTERED, WOKEN_CHALLENGE, now.plusSeconds(60));
        assertThat(store().enrolments().claimDue(now, "w1", WAKE_LEASE, 10)).as("waiting for its next check").isEmpty();

        assertThat(store().enrolments().wake("alice@org.example", WOKEN_CHALLENGE, now)).isTrue();

        assertThat(store().enrolments().find("alice@org.example").orElseThrow().nextAttemptAt())
                .contains(Jdbc.truncate(now));
        assertThat(store().enrolments().claimDue(now, "w1", WAKE_LEASE, 10)).extracting(Enrolment::mailbox)
                .containsExactly("alice@org.example");
    }

    @Test
    default void aWakeForAnotherChallengeStepOrMailboxChangesNothing() {
        Instant now = clock().instant();
        Instant later = now.plusSeconds(60);
        waiting("alice@org.example", EnrolmentStep.CHALLENGE_REGISTERED, URI.create("https://ca.example/acme/chall/7"),
                later);
        waiting("bob@org.example", EnrolmentStep.ORDERED, WOKEN_CHALLENGE, later);

        assertThat(store().enrolments().wake("alice@org.example", WOKEN_CHALLENGE, now)).as("an older challenge").isFalse();
        assertThat(store().enrolments().wake("bob@org.example", WOKEN_CHALLENGE, now)).as("not waiting for it").isFalse();
        assertThat(store().enrolments().wake("carol@org.example", WOKEN_CHALLENGE, now)).as("no enrolment").isFalse();

        assertThat(store().enrolments().claimDue(now, "w1", WAKE_LEASE, 10)).isEmpty();
        assertThat(store().enrolments().find("alice@org.example").orElseThrow().nextAttemptAt())
                .contains(Jdbc.truncate(later));
    }

    @Test
    default void aWakeNeverPostponesARowDueSooner() {
        Instant now = clock().instant();
        waiting("alice@org.example", EnrolmentStep.CHALLENGE_REGISTERED, WOKEN_CHALLENGE, now.minusSeconds(5));

        assertThat(store().enrolments().wake("alice@org.example", WOKEN_CHALLENGE, now)).isFalse();

        assertThat(store().enrolments().find("alice@org.example").orElseThrow().nextAttemptAt())
                .contains(Jdbc.truncate(now.minusSeconds(5)));
    }
}
