package dev.acmesmime.organisation;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.acmesmime.store.AcmeSmimeStore;
import dev.acmesmime.store.AuditEvent;
import dev.acmesmime.store.AuditQuery;
import dev.acmesmime.store.ChallengeStatus;
import dev.acmesmime.store.Enrolment;
import dev.acmesmime.store.EnrolmentStep;
import dev.acmesmime.store.OutgoingResponse;
import dev.acmesmime.store.PendingChallenge;
import dev.acmesmime.store.ResponseOutboxSettings;
import dev.acmesmime.store.StoreSettings;
import dev.acmesmime.testing.MutableClock;

/** {@link ResponseDelivery} on an H2 store with a mail system that refuses for a while (issue 14 §3). */
class ResponseDeliveryTest {
    static final URI CHALLENGE = URI.create("https://ca.test/acme/chall/delivery");
    static final byte[] RESPONSE = "Subject: Re: ACME: t\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path home;
    MutableClock clock;
    AcmeSmimeStore store;
    /** Refusals still to come before the mail system takes a response. */
    final AtomicInteger refusals = new AtomicInteger();
    final List<OutgoingResponse> taken = new CopyOnWriteArrayList<>();
    ResponseDelivery testee;

    @BeforeEach
    void open() {
        clock = new MutableClock(Instant.now());
        store = AcmeSmimeStore.builder(StoreSettings.fromProperties(new Properties(), home)).clock(clock).open();
        testee = new ResponseDelivery(store, r -> {
            if (refusals.getAndDecrement() > 0) {
                throw new IllegalStateException("spool refused");
            }
            taken.add(r);
        }, clock, Duration.ofSeconds(1));
    }

    @AfterEach
    void close() {
        store.close();
    }

    void claim(Duration lifetime) {
        store.pendingChallenges().register(new PendingChallenge.Registration(CHALLENGE, "alice@org.test", "acme@ca.test",
                "DGyRejmCefe7v4NfDGDKfA", "LPJNul-wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ", clock.instant().plus(lifetime)));
        store.inTransaction(() -> {
            store.pendingChallenges().markAnswering(CHALLENGE, "<r@org.test>");
            return store.responseOutbox().enqueue(new OutgoingResponse.Content(CHALLENGE, "alice@org.test",
                    "alice@org.test", "acme@ca.test", "<r@org.test>", RESPONSE, clock.instant().plus(lifetime)));
        });
    }

    ChallengeStatus status() {
        return store.pendingChallenges().find(CHALLENGE).orElseThrow().status();
    }

    @Test
    void aRefusedResponseIsRetriedWithBackOffAndTakenExactlyOnce() {
        claim(Duration.ofHours(1));
        refusals.set(2);

        assertThat(testee.deliver(CHALLENGE)).isFalse();
        assertThat(status()).isEqualTo(ChallengeStatus.ANSWERING);
        assertThat(store.responseOutbox().find(CHALLENGE).orElseThrow().lastError())
                .contains("IllegalStateException: spool refused");
        assertThat(testee.runOnce()).as("not due before the back-off").isZero();

        clock.advance(ResponseOutboxSettings.DEFAULT.retryPolicy().delayAfter(1));
        assertThat(testee.runOnce()).isEqualTo(1); // refused again
        clock.advance(ResponseOutboxSettings.DEFAULT.retryPolicy().delayAfter(1));
        assertThat(testee.runOnce()).as("the back-off doubled").isZero();
        clock.advance(ResponseOutboxSettings.DEFAULT.retryPolicy().delayAfter(1));
        assertThat(testee.runOnce()).isEqualTo(1);

        assertThat(taken).singleElement().satisfies(r -> assertThat(r.content().message()).isEqualTo(RESPONSE));
        assertThat(status()).isEqualTo(ChallengeStatus.ANSWERED);
        clock.advance(Duration.ofMinutes(30));
        assertThat(testee.runOnce()).isZero();
        assertThat(taken).hasSize(1);
    }

    @Test
    void aResponseStillRefusedWhenTheChallengeExpiresIsGivenUpAndAudited() {
        claim(Duration.ofMinutes(1));
        refusals.set(Integer.MAX_VALUE);
        assertThat(testee.deliver(CHALLENGE)).isFalse();

        clock.advance(Duration.ofMinutes(2));
        assertThat(testee.runOnce()).isEqualTo(1);

        assertThat(taken).isEmpty();
        assertThat(status()).isEqualTo(ChallengeStatus.EXPIRED);
        assertThat(store.audit().find(AuditQuery.builder().address("alice@org.test").build())).singleElement()
                .satisfies(a -> {
                    assertThat(a.event()).isEqualTo(AuditEvent.CHALLENGE_RESPONSE_EXPIRED.value());
                    assertThat(a.outcome()).contains(ResponseDelivery.OUTCOME_EXPIRED);
                    assertThat(a.detail().orElseThrow()).contains(CHALLENGE.toString(), "spool refused");
                });
        clock.advance(Duration.ofHours(1));
        assertThat(testee.runOnce()).isZero();
    }

    @Test
    void theWorkerSendsAResponseWhoseNodeDiedBeforeSendingIt() throws Exception {
        claim(Duration.ofHours(1)); // leased by this node, never sent: as after a kill -9 right after the claim
        clock.advance(ResponseOutboxSettings.DEFAULT.retryPolicy().lease());

        assertThat(testee.runOnce()).isEqualTo(1);

        assertThat(taken).hasSize(1);
        assertThat(status()).isEqualTo(ChallengeStatus.ANSWERED);
    }

    @Test
    void theEnrolmentWaitingForTheChallengeIsDueOnceTheResponseIsTaken_notBefore() {
        claim(Duration.ofHours(1));
        store.enrolments().save(Enrolment.of("alice@org.test").withStep(EnrolmentStep.CHALLENGE_REGISTERED)
                .withChallengeUrl(CHALLENGE).withSchedule(0, clock.instant().plus(Duration.ofSeconds(60))));
        refusals.set(1);

        assertThat(testee.deliver(CHALLENGE)).isFalse();
        assertThat(store.enrolments().claimDue(clock.instant(), "engine", Duration.ofMinutes(1), 10))
                .as("answering only: the engine would find nothing to do").isEmpty();

        clock.advance(ResponseOutboxSettings.DEFAULT.retryPolicy().delayAfter(1));
        assertThat(testee.runOnce()).isEqualTo(1);

        assertThat(status()).isEqualTo(ChallengeStatus.ANSWERED);
        assertThat(store.enrolments().claimDue(clock.instant(), "engine", Duration.ofMinutes(1), 10))
                .extracting(Enrolment::mailbox).containsExactly("alice@org.test");
    }
}
