package dev.acmesmime.james.enrolment;

import java.time.Instant;

import org.apache.james.task.TaskExecutionDetails.AdditionalInformation;

/**
 * The progress of an enrolment task as {@code GET /tasks/{id}} shows it under
 * {@code additionalInformation} (through {@link EnrolmentTaskExtension}).
 *
 * @param action    {@code enrolAll} or {@code renewDue}
 * @param done      mailboxes handed to the engine
 * @param failed    mailboxes the engine refused (the log names each with the reason)
 * @param pending   mailboxes not reached yet (an estimate: users may come and go meanwhile)
 * @param timestamp when these counts were taken
 */
public record EnrolmentTaskDetails(String action, long done, long failed, long pending, Instant timestamp)
        implements AdditionalInformation {
}
