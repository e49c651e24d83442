package dev.acmesmime.organisation;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.acmesmime.store.AcmeSmimeStore;
import dev.acmesmime.store.AuditEvent;
import dev.acmesmime.store.AuditRecord;
import dev.acmesmime.store.OutgoingResponse;
import dev.acmesmime.store.ResponseOutboxStore;

/**
 * Sends the organisation role's responses out of the store's {@link ResponseOutboxStore} (issue 14 §3).
 * The responder claims a challenge and enqueues its signed response in one transaction; then
 * {@link #deliver} makes the first attempt at once, and a background thread ({@link #start}) takes
 * every response whose attempt failed, or whose node died before it, and tries again with the
 * store's response back-off ({@code RetryPolicy}), until the challenge expires: then the response is
 * given up, the challenge marked expired, and an audit record {@code challenge-response-expired}
 * written. Until the mail system took it, the registered challenge reads {@code answering} with the
 * last error; afterwards {@code answered}, and the mailbox's enrolment waiting for that challenge is made
 * due at once ({@link dev.acmesmime.store.EnrolmentStore#wake}, one UPDATE, best effort).
 * <p>
 * Exactly once: the claim is single (a second delivery of the challenge mail is a duplicate), and
 * the outbox row, leased to one node at a time, is the only sender. Only a crash between the mail
 * system taking the response and the row being marked sent repeats it; the CA sees the repeat as a
 * duplicate.
 */
public final class ResponseDelivery implements AutoCloseable {
    static final String OUTCOME_EXPIRED = "expired";
    private static final int BATCH = 20;
    private static final Logger LOGGER = LoggerFactory.getLogger(ResponseDelivery.class);

    private final AcmeSmimeStore store;
    private final ResponseOutboxStore outbox;
    private final ResponseSender sender;
    private final Clock clock;
    private final Duration pollInterval;
    private ScheduledExecutorService executor;

    /**
     * @param pollInterval how often the outbox is looked at for due responses
     */
    public ResponseDelivery(AcmeSmimeStore store, ResponseSender sender, Clock clock, Duration pollInterval) {
        this.store = Objects.requireNonNull(store, "store");
        this.outbox = store.responseOutbox();
        this.sender = Objects.requireNonNull(sender, "sender");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.pollInterval = Objects.requireNonNull(pollInterval, "pollInterval");
    }

    /** Starts looking for due responses on one background thread. Idempotent. */
    public synchronized void start() {
        if (executor != null) {
            return;
        }
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "acme-smime-responses");
            t.setDaemon(true);
            return t;
        });
        executor.scheduleWithFixedDelay(this::drainSafely, 0, pollInterval.toMillis(), TimeUnit.MILLISECONDS);
        LOGGER.info("acme-smime response outbox worker started: every {} ms", pollInterval.toMillis());
    }

    /**
     * The first attempt for a response this node has just enqueued (and so holds the lease of).
     *
     * @return whether the mail system took it; if not, the outbox tries again later
     */
    public boolean deliver(URI challengeUrl) {
        Optional<OutgoingResponse> r = outbox.find(challengeUrl);
        return r.isPresent() && attempt(r.get());
    }

    /**
     * Claims the due responses and tries each once.
     *
     * @return how many were claimed
     */
    public int runOnce() {
        List<OutgoingResponse> due = store.inTransaction(() -> outbox.claimDue(BATCH));
        for (OutgoingResponse r : due) {
            if (clock.instant().isBefore(r.expiresAt())) {
                attempt(r);
            } else {
                giveUp(r);
            }
        }
        return due.size();
    }

    private void drainSafely() {
        try {
            while (runOnce() == BATCH) {
                // a full batch: there may be more due at once
            }
        } catch (RuntimeException e) {
            // the store may be briefly unreachable: the rows stay and the next poll retries
            LOGGER.warn("acme-smime response outbox worker: {}", e.toString());
        }
    }

    private boolean attempt(OutgoingResponse r) {
        try {
            sender.send(r);
        } catch (Exception e) {
            String error = e.getClass().getSimpleName() + ": " + e.getMessage();
            outbox.retryLater(r.challengeUrl(), error);
            LOGGER.warn("acme-smime response {} for {} to {} not taken by the mail system (attempt {}), "
                    + "tried again later: {}", r.responseMessageId(), r.mailbox(), r.content().recipient(), r.attempts(), error);
            return false;
        }
        if (outbox.markSent(r.challengeUrl())) {
            wakeEnrolment(r);
        } else {
            LOGGER.warn("acme-smime response {} for {} sent after its lease lapsed", r.responseMessageId(), r.mailbox());
        }
        LOGGER.info("acme-smime response {} for {} handed to the mail system (attempt {})", r.responseMessageId(),
                r.mailbox(), r.attempts());
        return true;
    }

    /**
     * The challenge is answered now: the mailbox's enrolment, waiting for it, is made due at once rather than
     * at its next check. Best effort: the engine's own check finds the answer anyway, a little later.
     */
    private void wakeEnrolment(OutgoingResponse r) {
        try {
            store.enrolments().wake(r.mailbox(), r.challengeUrl(), clock.instant());
        } catch (RuntimeException e) {
            LOGGER.warn("acme-smime enrolment of {} not woken after its challenge was answered, it finds the answer "
                    + "at its next check: {}", r.mailbox(), e.toString());
        }
    }

    private void giveUp(OutgoingResponse r) {
        String why = "the challenge expired at " + r.expiresAt() + " before the response was sent ("
                + r.attempts() + " attempt(s)); last error: " + r.lastError().orElse("none");
        store.inTransaction(() -> {
            if (outbox.fail(r.challengeUrl(), "expired")) {
                store.audit().append(AuditRecord.entry(AuditEvent.CHALLENGE_RESPONSE_EXPIRED).address(r.mailbox())
                        .messageId(r.responseMessageId()).outcome(OUTCOME_EXPIRED)
                        .detail("challenge=" + r.challengeUrl() + "; " + why));
            }
            return null;
        });
        LOGGER.warn("acme-smime response {} for {} given up: {}", r.responseMessageId(), r.mailbox(), why);
    }

    @Override
    public synchronized void close() {
        if (executor != null) {
            executor.shutdownNow();
            executor = null;
        }
    }
}
