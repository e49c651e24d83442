package dev.acmesmime.enrolment;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.acmesmime.store.Enrolment;
import dev.acmesmime.store.EnrolmentStore;

/**
 * The node's enrolment loop: claims due mailboxes from the store with a lease ({@link EnrolmentStore#claimDue},
 * atomic across nodes, so on a cluster one node works on a mailbox at a time), only as many as it has free
 * threads ({@code enrolment.concurrency}), so it never loads all mailboxes; runs each through
 * {@link MailboxEnrolment} on its bounded pool and releases the lease. Looks again every
 * {@code enrolment.pollSeconds}, or at once when {@link #wake() woken} or when a mailbox is done.
 */
public final class EnrolmentWorker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EnrolmentWorker.class);

    private final EnrolmentStore store;
    private final MailboxEnrolment engine;
    private final Clock clock;
    private final String owner;
    private final Duration lease;
    private final Duration poll;
    private final Semaphore slots;
    private final ExecutorService pool;
    private final Object signal = new Object();
    private boolean woken;
    private volatile boolean running;
    private Thread loop;

    EnrolmentWorker(EnrolmentStore store, MailboxEnrolment engine, EnrolmentSettings settings, Clock clock,
                    String owner) {
        this.store = store;
        this.engine = engine;
        this.clock = clock;
        this.owner = owner;
        this.lease = settings.lease();
        this.poll = settings.poll();
        this.slots = new Semaphore(settings.concurrency());
        this.pool = Executors.newFixedThreadPool(settings.concurrency(), threads("acme-smime-enrolment-"));
    }

    /** Starts the loop on its own daemon thread. */
    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        loop = threads("acme-smime-enrolment-claims-").newThread(this::run);
        loop.start();
        LOG.info("enrolment worker {} started", owner);
    }

    /** Looks for due mailboxes now instead of at the next poll. */
    public void wake() {
        synchronized (signal) {
            woken = true;
            signal.notifyAll();
        }
    }

    private void run() {
        while (running) {
            int claimed = 0;
            int free = slots.availablePermits();
            if (free > 0) {
                claimed = claimAndSubmit(free);
            }
            if (claimed == 0 || claimed < free) {
                pause();
            }
        }
    }

    private int claimAndSubmit(int free) {
        List<Enrolment> due;
        try {
            due = store.claimDue(clock.instant(), owner, lease, free);
        } catch (RuntimeException e) {
            LOG.warn("enrolment worker {}: cannot claim due mailboxes", owner, e);
            return 0;
        }
        for (Enrolment e : due) {
            slots.acquireUninterruptibly();
            pool.execute(() -> work(e));
        }
        return due.size();
    }

    private void work(Enrolment e) {
        try {
            engine.advance(e, owner);
        } catch (RuntimeException ex) {
            LOG.warn("enrolment of {} failed outside a step", e.mailbox(), ex);
        } finally {
            try {
                store.release(e.mailbox(), owner);
            } catch (RuntimeException ex) {
                LOG.warn("enrolment of {}: lease not released, it runs out by itself", e.mailbox(), ex);
            }
            slots.release();
            wake();
        }
    }

    private void pause() {
        synchronized (signal) {
            try {
                if (!woken && running) {
                    signal.wait(poll.toMillis());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                running = false;
            }
            woken = false;
        }
    }

    /** Stops claiming, lets running mailboxes finish their turn (up to the lease), and stops the threads. */
    @Override
    public void close() {
        running = false;
        wake();
        try {
            if (loop != null) {
                loop.join(poll.toMillis() + 1000);
            }
            pool.shutdown();
            if (!pool.awaitTermination(lease.toMillis(), TimeUnit.MILLISECONDS)) {
                pool.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            pool.shutdownNow();
        }
        LOG.info("enrolment worker {} stopped", owner);
    }

    private static ThreadFactory threads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
