package dev.acmesmime.ca.forward;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.acmesmime.metrics.PluginMetrics;
import dev.acmesmime.store.AcmeSmimeStore;
import dev.acmesmime.store.AuditEvent;
import dev.acmesmime.store.AuditRecord;
import dev.acmesmime.store.AuditStore;
import dev.acmesmime.store.OutboxItem;
import dev.acmesmime.store.OutboxState;
import dev.acmesmime.store.OutboxStore;
import dev.acmesmime.store.RetryPolicy;
import dev.acmesmime.store.Transactions;

/**
 * Delivers the outbox to the ACME server: claims due items atomically (so two nodes never send
 * the same item, {@link OutboxStore#claimDue}), POSTs each, and records every attempt in the audit
 * log (events {@code forward-attempt-failed}, {@code forward-delivered}, {@code forward-expired},
 * {@code forward-failed}).
 * <p>
 * A 2xx answer completes the item and stores the server's outcome. Anything else is retried with
 * the store's exponential back-off plus a random jitter of up to {@link DeliveryWorkerBuilder#jitter} of the
 * delay, until 2xx or until the challenge's validity has ended (S/MIME BR 3.2.2.4, B7): an item
 * claimed after {@link ForwardEnvelope#expiresAt()} is failed with outcome {@value #OUTCOME_EXPIRED}
 * without being sent. Items live in the store, so they survive a restart. When the server answers
 * 2xx again after a batch it refused or did not answer, the items waiting out their back-off are
 * made due at once ({@link OutboxStore#expedite}): an outage then delays results by its own length,
 * not by the back-off on top of it. So that this does not wait for a result's next attempt either,
 * the worker probes a server that refuses ({@link DestinationProbe}, {@link DeliveryWorkerBuilder#probeInterval}):
 * one waiting result every interval, outside its back-off and without using up an attempt; a
 * failed probe is audited as {@code forward-attempt-failed} with "probe" in its detail. Attempts,
 * failures, latency and the outbox gauges go to the operator's metrics ({@link ForwardMetrics}).
 */
public final class DeliveryWorker implements AutoCloseable {
    public static final String OUTCOME_EXPIRED = "expired";

    private static final Logger LOGGER = LoggerFactory.getLogger(DeliveryWorker.class);

    private final OutboxStore outbox;
    private final AuditStore audit;
    private final ForwardClient client;
    private final RetryPolicy retryPolicy;
    private final Clock clock;
    private final Duration pollInterval;
    private final int batchSize;
    private final double jitter;
    private final Random random;
    private final int threads;
    private final Transactions tx;
    private final ForwardMetrics metrics;
    private ScheduledExecutorService executor;
    private ExecutorService senders;
    private final AtomicBoolean wakePending = new AtomicBoolean();
    /** Whether the server refuses, and when to probe it; touched by the polling thread only. */
    private final DestinationProbe probe;

    DeliveryWorker(DeliveryWorkerBuilder b) {
        this.outbox = b.outbox;
        this.audit = b.audit;
        this.client = b.client;
        this.retryPolicy = b.retryPolicy;
        this.clock = b.clock;
        this.pollInterval = b.pollInterval;
        this.batchSize = b.batchSize;
        this.jitter = b.jitter;
        this.random = b.random;
        this.threads = b.threads;
        this.tx = b.tx;
        this.metrics = new ForwardMetrics(b.metrics, b.clock);
        this.probe = new DestinationProbe(b.probeInterval, b.clock.instant());
        metrics.registerOutboxGauges(b.outbox);
    }

    public static DeliveryWorkerBuilder builder() {
        return new DeliveryWorkerBuilder();
    }

    /** Starts polling the outbox on one background thread. Idempotent. */
    public synchronized void start() {
        if (executor != null) {
            return;
        }
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "acme-smime-forward");
            t.setDaemon(true);
            return t;
        });
        if (threads > 1) {
            senders = Executors.newFixedThreadPool(threads, r -> {
                Thread t = new Thread(r, "acme-smime-forward-send");
                t.setDaemon(true);
                return t;
            });
        }
        executor.scheduleWithFixedDelay(this::drainSafely, 0, pollInterval.toMillis(), TimeUnit.MILLISECONDS);
        LOGGER.info("acme-smime forward worker started: {} every {} ms", client.target(), pollInterval.toMillis());
    }

    /** Asks the worker to look at the outbox now (after an enqueue), instead of at the next poll. */
    public synchronized void wakeUp() {
        // one wake-up waiting is enough: the drain it runs takes everything due by then
        if (executor != null && wakePending.compareAndSet(false, true)) {
            executor.execute(() -> {
                wakePending.set(false);
                drainSafely();
            });
        }
    }

    private void drainSafely() {
        try {
            while (runOnce() >= batchSize) {
                // a full batch (or a probe and a full batch after it): there may be more due at once
            }
        } catch (RuntimeException e) {
            // the store may be briefly unreachable; the items stay pending and the next poll retries
            LOGGER.warn("acme-smime forward worker: {}", e.toString());
        }
    }

    /**
     * Claims and handles one batch of due items: one commit for the leases, the sends side by side
     * ({@link DeliveryWorkerBuilder#threads}), then one commit for every outcome of the batch. A result is
     * stored together with its item's completion or retry, or neither is: if that commit fails,
     * the leases lapse and the items are sent again, which the receiver recognises by the
     * result's id (at-least-once, as after a crash between a send and its commit).
     * <p>
     * When nothing is due and a probe is ({@link DestinationProbe}), sends one waiting item; if the
     * server takes it, the items it brought forward are claimed and sent in the same call.
     *
     * @return how many items were claimed (a probe counts as one)
     */
    public int runOnce() {
        List<OutboxItem> items = tx.inTransaction(() -> outbox.claimDue(batchSize));
        if (items.isEmpty()) {
            return probeIfDue();
        }
        settle(sendAll(items), false);
        return items.size();
    }

    private int probeIfDue() {
        if (!probe.due(clock.instant())) {
            return 0;
        }
        Optional<OutboxItem> item = tx.inTransaction(() -> outbox.claimProbe(client.target().name()));
        if (item.isEmpty()) {
            // nothing waits: look again one interval later rather than at every poll
            probe.attempted(clock.instant());
            return 0;
        }
        int expedited = settle(List.of(attempt(item.get(), true)), true);
        return expedited > 0 ? 1 + runOnce() : 1;
    }

    private List<Outcome> sendAll(List<OutboxItem> items) {
        List<Outcome> outcomes = new ArrayList<>(items.size());
        ExecutorService pool = senders;
        if (pool == null || items.size() < 2) {
            for (OutboxItem item : items) {
                outcomes.add(attempt(item, false));
            }
        } else {
            // items are leased one by one, so sending them side by side cannot send one twice
            List<Future<Outcome>> running = new ArrayList<>();
            for (OutboxItem item : items) {
                running.add(pool.submit(() -> attempt(item, false)));
            }
            for (Future<Outcome> f : running) {
                try {
                    outcomes.add(f.get());
                } catch (ExecutionException e) {
                    // the item stays leased and is tried again when the lease lapses
                    LOGGER.warn("acme-smime forward worker: {}", e.getCause().toString());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        return outcomes;
    }

    /**
     * Writes a batch's (or a probe's) outcomes in one transaction and learns from them whether the
     * server answers.
     *
     * @return how many waiting items were brought forward
     */
    private int settle(List<Outcome> outcomes, boolean probing) {
        Optional<String> back = outcomes.stream().filter(Outcome::delivered).map(Outcome::destination).findFirst();
        boolean refused = outcomes.stream().anyMatch(Outcome::refused);
        // the server answers again after refusing, or a probe got through: what waits need not sit out the back-off
        boolean bringForward = back.isPresent() && (probing || probe.down());
        int expedited = tx.inTransaction(() -> {
            for (Outcome o : outcomes) {
                o.store().run();
            }
            return bringForward ? outbox.expedite(back.get()) : 0;
        });
        if (back.isPresent() || refused) {
            probe.attempted(clock.instant());
        }
        if (back.isPresent()) {
            if (bringForward) {
                LOGGER.info("acme-smime forward: {} answers{}; {} waiting result(s) brought forward",
                        client.target().url(), probing ? " a probe" : " again", expedited);
            }
            probe.answered();
        } else if (refused) {
            probe.refused();
        }
        for (Outcome o : outcomes) {
            if (o.failure() != null) {
                LOGGER.info("acme-smime forward {}", o.failure());
            }
        }
        return expedited;
    }

    /**
     * What became of one item: the store writes that record it, whether the server took it or
     * refused it (no answer, or not 2xx), and a line to log if it failed.
     */
    private record Outcome(Runnable store, String destination, boolean delivered, boolean refused, String failure) {
    }

    /**
     * Sends one item, or finds it unreadable or expired; writes nothing yet. A probe's failure
     * gives the lease back with the item's attempts and next attempt time as they were.
     */
    private Outcome attempt(OutboxItem item, boolean probing) {
        ForwardEnvelope e;
        try {
            e = ForwardEnvelope.fromBytes(item.payload());
        } catch (IllegalArgumentException ex) {
            return new Outcome(() -> {
                outbox.fail(item.id(), "unreadable outbox item: " + ex.getMessage());
                audit.append(AuditRecord.entry(AuditEvent.FORWARD_FAILED).outcome("unreadable")
                        .detail("outbox item " + item.id() + ": " + ex.getMessage()));
            }, item.destination(), false, false, item.id() + " unreadable: " + ex.getMessage());
        }
        Instant now = clock.instant();
        if (!now.isBefore(e.expiresAt())) {
            return new Outcome(() -> {
                outbox.fail(item.id(), "expired: the challenge's validity ended at " + e.expiresAt());
                record(e, AuditEvent.FORWARD_EXPIRED, OUTCOME_EXPIRED, "outbox item " + item.id() + " not sent after "
                        + item.attempts() + " attempt(s): the challenge's validity ended at " + e.expiresAt());
            }, item.destination(), false, false, null);
        }
        DeliveryAttempt a = client.send(e);
        metrics.attempt(e, a, clock.instant());
        String which = "outbox item " + item.id() + (probing ? " probe after attempt " : " attempt ") + item.attempts();
        if (a.delivered()) {
            return new Outcome(() -> {
                outbox.complete(item.id());
                record(e, AuditEvent.FORWARD_DELIVERED, a.outcome(), which + " to " + client.target().url() + ": " + a.detail());
            }, item.destination(), true, false, null);
        }
        if (probing) {
            return new Outcome(() -> {
                outbox.releaseProbe(item.id(), "probe: " + a.detail());
                record(e, AuditEvent.FORWARD_ATTEMPT_FAILED, a.outcome(), which + " (not counted; next attempt still at "
                        + item.nextAttemptAt() + "): " + a.detail());
            }, item.destination(), false, true, which + " failed: " + a.detail());
        }
        return retry(item, e, a);
    }

    /** A failed attempt: the next one after the back-off plus jitter, or none when the attempts are used up. */
    private Outcome retry(OutboxItem item, ForwardEnvelope e, DeliveryAttempt a) {
        Duration extra = jitter(item.attempts());
        return new Outcome(() -> {
            Optional<OutboxState> state = outbox.retryLater(item.id(), a.detail(), extra);
            record(e, AuditEvent.FORWARD_ATTEMPT_FAILED, a.outcome(), "outbox item " + item.id() + " attempt " + item.attempts() + ": "
                    + a.detail());
            if (state.equals(Optional.of(OutboxState.FAILED))) {
                record(e, AuditEvent.FORWARD_FAILED, "attempts-exhausted", "outbox item " + item.id() + " failed after "
                        + item.attempts() + " attempts; an admin may retry it");
            }
        }, item.destination(), false, true, item.id() + " attempt " + item.attempts() + " failed: " + a.detail());
    }

    private Duration jitter(int attempts) {
        long base = retryPolicy.delayAfter(Math.max(1, attempts)).toMillis();
        long bound = (long) (base * jitter);
        return bound <= 0 ? Duration.ZERO : Duration.ofMillis((long) (random.nextDouble() * bound));
    }

    private void record(ForwardEnvelope e, AuditEvent event, String outcome, String detail) {
        audit.append(AuditRecord.entry(event).address(e.address()).token(e.token()).messageId(e.messageId())
                .outcome(outcome).detail("id " + e.id() + ", " + e.contract().option() + ": " + detail));
    }

    /** Stops the background thread, letting an attempt in flight finish. Idempotent. */
    @Override
    public synchronized void close() {
        if (executor != null) {
            executor.shutdown();
            try {
                if (!executor.awaitTermination(30, TimeUnit.SECONDS)) {
                    executor.shutdownNow();
                }
            } catch (InterruptedException ex) {
                executor.shutdownNow();
                Thread.currentThread().interrupt();
            }
            executor = null;
        }
        if (senders != null) {
            senders.shutdown();
            senders = null;
        }
    }
}
