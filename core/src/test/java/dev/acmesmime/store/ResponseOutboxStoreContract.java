package dev.acmesmime.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.Test;

/** The organisation role's response outbox (issue 14 §3), with its registered challenge's status. */
interface ResponseOutboxStoreContract extends StoreFixture {
    URI CHALLENGE = URI.create("https://ca.example/acme/chall/outbox-1");
    byte[] RESPONSE = "DKIM-Signature: v=1\r\nSubject: Re: ACME: t\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII);

    /** Registers the challenge and claims it as the responder does: marked answering, response enqueued, one commit. */
    default void claim(AcmeSmimeStore node) {
        store().pendingChallenges().register(new PendingChallenge.Registration(CHALLENGE, "alice@org.example",
                "acme@ca.example", "DGyRejmCefe7v4NfDGDKfA", "LPJNul-wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ",
                clock().instant().plus(Duration.ofHours(1))));
        node.inTransaction(() -> {
            assertThat(node.pendingChallenges().markAnswering(CHALLENGE, "<r1@org.example>")).isTrue();
            return node.responseOutbox().enqueue(new OutgoingResponse.Content(CHALLENGE, "alice@org.example",
                    "alice@org.example", "acme@ca.example", "<r1@org.example>", RESPONSE,
                    clock().instant().plus(Duration.ofHours(1))));
        });
    }

    default ChallengeStatus challengeStatus() {
        return store().pendingChallenges().find(CHALLENGE).orElseThrow().status();
    }

    @Test
    default void aClaimedResponseWaitsLeasedToItsNode_andIsAnsweredOnlyWhenSent() {
        claim(store());

        OutgoingResponse r = store().responseOutbox().find(CHALLENGE).orElseThrow();
        assertThat(r.content().message()).isEqualTo(RESPONSE);
        assertThat(r.state()).isEqualTo(OutboxState.PENDING);
        assertThat(r.attempts()).isEqualTo(1);
        assertThat(challengeStatus()).isEqualTo(ChallengeStatus.ANSWERING);
        assertThat(store().responseOutbox().countWaiting()).isEqualTo(1);
        assertThat(openAnotherNode().responseOutbox().claimDue(10)).as("leased to the claiming node").isEmpty();

        assertThat(store().responseOutbox().markSent(CHALLENGE)).isTrue();

        assertThat(challengeStatus()).isEqualTo(ChallengeStatus.ANSWERED);
        assertThat(store().responseOutbox().find(CHALLENGE).orElseThrow().state()).isEqualTo(OutboxState.DONE);
        assertThat(store().responseOutbox().markSent(CHALLENGE)).isFalse();
        assertThat(store().responseOutbox().countWaiting()).isZero();
    }

    @Test
    default void maintenancePurgesFinishedResponsesAfterTheClaimRetention_neverWaitingOnes() {
        claim(store());
        StoreMaintenance maintenance = new StoreMaintenance(store(), clock());
        clock().advance(StoreMaintenance.ANSWERED_CLAIM_RETENTION.plusDays(1));
        assertThat(maintenance.runOnce().purgedResponses()).as("still waiting").isZero();

        clock().advance(Duration.ofMinutes(5)); // the lease lapses: this node takes it again, as the worker would
        assertThat(store().responseOutbox().claimDue(1)).hasSize(1);
        store().responseOutbox().markSent(CHALLENGE);
        clock().advance(StoreMaintenance.ANSWERED_CLAIM_RETENTION.plusDays(1));

        assertThat(maintenance.runOnce().purgedResponses()).isEqualTo(1);
        assertThat(store().responseOutbox().find(CHALLENGE)).isEmpty();
    }

    @Test
    default void aFailedHandOverStaysAnsweringWithItsError_andComesDueAfterTheBackOff() {
        claim(store());

        assertThat(store().responseOutbox().retryLater(CHALLENGE, "spool refused\r\nthe mail")).isTrue();

        OutgoingResponse r = store().responseOutbox().find(CHALLENGE).orElseThrow();
        assertThat(r.lastError()).contains("spool refused the mail");
        assertThat(challengeStatus()).isEqualTo(ChallengeStatus.ANSWERING);
        assertThat(store().responseOutbox().claimDue(10)).isEmpty();
        clock().advance(Duration.ofMinutes(1)); // TEST_POLICY: 1 minute after the first attempt
        assertThat(store().responseOutbox().claimDue(10)).singleElement()
                .satisfies(due -> assertThat(due.attempts()).isEqualTo(2));
        assertThat(store().responseOutbox().claimDue(10)).as("leased now").isEmpty();
    }

    @Test
    default void aNodeThatDiedHoldingAResponseLosesItWhenTheLeaseLapses_andOnlyOneNodeTakesIt() {
        claim(store());
        AcmeSmimeStore b = openAnotherNode();
        AcmeSmimeStore c = open(settings().withNodeName("node-c"));

        clock().advance(Duration.ofMinutes(5)); // TEST_POLICY's lease

        assertThat(b.responseOutbox().claimDue(10)).hasSize(1);
        assertThat(c.responseOutbox().claimDue(10)).isEmpty();
        assertThat(store().responseOutbox().markSent(CHALLENGE)).as("the lease is b's now").isFalse();
        assertThat(b.responseOutbox().markSent(CHALLENGE)).isTrue();
        assertThat(challengeStatus()).isEqualTo(ChallengeStatus.ANSWERED);
    }

    @Test
    default void aResponseGivenUpLeavesTheChallengeExpired() {
        claim(store());

        assertThat(store().responseOutbox().fail(CHALLENGE, "expired")).isTrue();

        assertThat(store().responseOutbox().find(CHALLENGE).orElseThrow().state()).isEqualTo(OutboxState.FAILED);
        assertThat(challengeStatus()).isEqualTo(ChallengeStatus.EXPIRED);
        assertThat(store().responseOutbox().countWaiting()).isZero();
    }

    @Test
    default void answeringChallengesCountForRateLimits_andCannotBeClaimedAgain() {
        claim(store());

        assertThat(store().pendingChallenges().countAnsweredSince("alice@org.example",
                clock().instant().minus(Duration.ofHours(1)))).isEqualTo(1);
        assertThat(store().pendingChallenges().countAnsweredFromDomainSince("ca.example",
                clock().instant().minus(Duration.ofHours(1)))).isEqualTo(1);
        assertThat(store().pendingChallenges().markAnswering(CHALLENGE, "<r2@org.example>")).isFalse();
        assertThat(store().pendingChallenges().findAnswerable("alice@org.example")).isEmpty();
        assertThatThrownBy(() -> store().responseOutbox().enqueue(new OutgoingResponse.Content(CHALLENGE,
                "alice@org.example", "alice@org.example", "acme@ca.example", "<r2@org.example>", RESPONSE,
                clock().instant().plus(Duration.ofHours(1))))).isInstanceOf(StoreException.class);
    }
}
