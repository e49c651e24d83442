package dev.acmesmime.james.enrolment;

import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.james.task.Task;
import org.apache.james.task.TaskExecutionDetails.AdditionalInformation;
import org.apache.james.task.TaskType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A James task of the enrolment: it runs its work and counts what happened, {@code done}, {@code failed}
 * and {@code pending}, visible while it runs through {@code GET /tasks/{id}} ({@link EnrolmentTaskDetails},
 * shown thanks to {@link EnrolmentTaskExtension}). It ends {@code PARTIAL} rather than {@code COMPLETED}
 * if anything failed or the work stopped early; each failure is logged with its mailbox and reason.
 */
public final class EnrolmentTask implements Task {

    /** The task of {@code POST /acme-smime/enrolments?action=enrolAll}. */
    public static final TaskType ENROL_ALL = TaskType.of("acme-smime-enrol-all");
    /** The task of {@code POST /acme-smime/enrolments?action=renewDue}. */
    public static final TaskType RENEW_DUE = TaskType.of("acme-smime-renew-due");

    private static final Logger LOGGER = LoggerFactory.getLogger(EnrolmentTask.class);

    /** The task's work; it reports each mailbox to the counter. */
    @FunctionalInterface
    public interface Work {
        void run(Counter counter) throws Exception;
    }

    /** Where the work reports progress. */
    public final class Counter {
        private Counter() {
        }

        public void done(long mailboxes) {
            done.addAndGet(mailboxes);
        }

        public void failed(String mailbox, String reason) {
            failed.incrementAndGet();
            LOGGER.warn("acme-smime enrolment task {}: {} failed: {}", action, mailbox, reason);
        }
    }

    private final TaskType type;
    private final String action;
    private final long estimate;
    private final Work work;
    private final Clock clock;
    private final AtomicLong done = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();

    /**
     * @param action   the name shown in the details ({@code enrolAll}, {@code renewDue})
     * @param estimate how many mailboxes the work will see, for {@code pending}
     */
    public EnrolmentTask(TaskType type, String action, long estimate, Work work, Clock clock) {
        this.type = type;
        this.action = action;
        this.estimate = estimate;
        this.work = work;
        this.clock = clock;
    }

    @Override
    public Result run() {
        try {
            work.run(new Counter());
        } catch (Exception e) {
            LOGGER.warn("acme-smime enrolment task {} stopped: {}", action, e.getMessage());
            return Result.PARTIAL;
        }
        return failed.get() == 0 ? Result.COMPLETED : Result.PARTIAL;
    }

    @Override
    public TaskType type() {
        return type;
    }

    @Override
    public Optional<AdditionalInformation> details() {
        long d = done.get();
        long f = failed.get();
        return Optional.of(new EnrolmentTaskDetails(action, d, f, Math.max(0, estimate - d - f), clock.instant()));
    }
}
