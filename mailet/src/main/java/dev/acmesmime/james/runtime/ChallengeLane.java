package dev.acmesmime.james.runtime;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import javax.annotation.PreDestroy;
import javax.inject.Inject;
import javax.inject.Singleton;

import org.apache.james.core.MailAddress;
import org.apache.james.lifecycle.api.LifecycleUtil;
import org.apache.james.mailetcontainer.api.MailProcessor;
import org.apache.james.queue.api.MailQueue;
import org.apache.james.queue.api.MailQueue.MailQueueItem;
import org.apache.james.queue.api.MailQueueFactory;
import org.apache.james.queue.api.MailQueueName;
import org.apache.mailet.Mail;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.acmesmime.metrics.MetricNames;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * The organisation role's challenge lane: a mail queue of its own, {@value #QUEUE_NAME}, served by a few
 * threads of its own that run each mail through James's processors from {@code root}, exactly as James's
 * spooler runs the mails of its {@code spool} queue. Only the mails that the SMTP hook
 * {@code ExpectedChallengeHook} expects (a challenge for a mailbox that waits for one, from that
 * challenge's sender) and the responses to them take it, so neither waits behind a backlog in the spool,
 * e.g. a flood of forged challenges (issue 14 §5). What happens to a mail is the same on either way: the
 * same processors, matchers and mailets, the responder's checks included.
 * <p>
 * The lane holds at most {@code capacity} mails; {@link #offer} refuses more, and its caller hands the mail
 * to the spool instead, so a flood that guesses a waiting mailbox and its CA cannot grow it. The queue is
 * James's own kind (memory server: in memory, like the spool). A mail whose processing throws goes to the
 * spool with its recipients and state as they were, where James's usual error handling takes it.
 * Started by the hook's {@code init} ({@link #start}); without the hook nothing takes the lane.
 * Metrics: {@value MetricNames#ORG_LANE_TAKEN}, {@value MetricNames#ORG_LANE_FULL},
 * {@value MetricNames#ORG_LANE_DEPTH}.
 */
@Singleton
public class ChallengeLane implements AutoCloseable {
    /** The name of the lane's mail queue (WebAdmin {@code /mailQueues/acme-smime-lane}). */
    public static final String QUEUE_NAME = "acme-smime-lane";

    private static final Logger LOGGER = LoggerFactory.getLogger(ChallengeLane.class);

    private final MailQueueFactory<?> queues;
    private final MailProcessor processor;
    private final AcmeSmimeRuntime runtime;
    private final AtomicInteger depth = new AtomicInteger();
    private volatile Running running;

    /** What {@link #start} set up. */
    private record Running(MailQueue lane, MailQueue spool, int capacity, Scheduler workers, Disposable consumer) {
    }

    @Inject
    public ChallengeLane(MailQueueFactory<?> queues, MailProcessor processor, AcmeSmimeRuntime runtime) {
        this.queues = queues;
        this.processor = processor;
        this.runtime = runtime;
    }

    /**
     * Creates the queue and starts {@code threads} workers; later calls change nothing (one lane per process).
     *
     * @throws IllegalArgumentException when {@code threads} or {@code capacity} is below 1
     */
    public synchronized void start(int threads, int capacity) {
        if (threads < 1 || capacity < 1) {
            throw new IllegalArgumentException("the challenge lane needs threads >= 1 and capacity >= 1, got "
                    + threads + " and " + capacity);
        }
        if (running != null) {
            return;
        }
        MailQueue lane = queues.createQueue(MailQueueName.of(QUEUE_NAME));
        MailQueue spool = queues.createQueue(MailQueueFactory.SPOOL);
        Scheduler workers = Schedulers.newBoundedElastic(threads, Integer.MAX_VALUE, QUEUE_NAME);
        Disposable consumer = Flux.from(lane.deQueue())
                .flatMap(item -> Mono.fromRunnable(() -> process(item)).subscribeOn(workers), threads)
                .onErrorContinue((e, item) -> LOGGER.error("acme-smime challenge lane: {} failed", item, e))
                .subscribe();
        running = new Running(lane, spool, capacity, workers, consumer);
        runtime.useLane(this);
        runtime.metrics().gauge(MetricNames.ORG_LANE_DEPTH, depth::get);
        LOGGER.info("acme-smime challenge lane started: queue {}, {} threads, capacity {}", QUEUE_NAME, threads, capacity);
    }

    /**
     * Puts a copy of {@code mail} in the lane (the queue copies it; the caller still disposes its own).
     *
     * @return {@code false} when the lane is not started or full: the caller sends the mail the usual way
     * @throws MailQueue.MailQueueException when the queue refuses it
     */
    public boolean offer(Mail mail) throws MailQueue.MailQueueException {
        Running r = running;
        if (r == null) {
            return false;
        }
        if (depth.incrementAndGet() > r.capacity()) {
            depth.decrementAndGet();
            runtime.metrics().increment(MetricNames.ORG_LANE_FULL);
            return false;
        }
        try {
            r.lane().enQueue(mail);
        } catch (MailQueue.MailQueueException | RuntimeException e) {
            depth.decrementAndGet();
            throw e;
        }
        runtime.metrics().increment(MetricNames.ORG_LANE_TAKEN);
        return true;
    }

    private void process(MailQueueItem item) {
        Mail mail = item.getMail();
        List<MailAddress> recipients = List.copyOf(mail.getRecipients());
        String state = mail.getState();
        try {
            processor.service(mail);
            item.done(MailQueueItem.CompletionStatus.SUCCESS);
        } catch (Exception e) {
            LOGGER.warn("acme-smime challenge lane: processing {} failed ({}), handing it to the spool", mail.getName(),
                    e.toString());
            mail.setRecipients(recipients);
            mail.setState(state);
            toSpool(item, mail);
        } finally {
            depth.decrementAndGet();
            LifecycleUtil.dispose(mail);
        }
    }

    private void toSpool(MailQueueItem item, Mail mail) {
        Running r = running;
        if (r == null) {
            LOGGER.error("acme-smime challenge lane: {} failed while the lane was closing; it stays in the lane's queue",
                    mail.getName());
            return;
        }
        try {
            r.spool().enQueue(mail);
            item.done(MailQueueItem.CompletionStatus.SUCCESS);
        } catch (Exception e) {
            // the item stays unacknowledged: a persistent queue delivers it again, as James's spooler's nack does
            LOGGER.error("acme-smime challenge lane: {} could not be handed to the spool either", mail.getName(), e);
        }
    }

    @PreDestroy
    @Override
    public synchronized void close() {
        Running r = running;
        if (r != null) {
            r.consumer().dispose();
            r.workers().dispose();
            running = null;
        }
    }
}
