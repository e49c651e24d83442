package dev.acmesmime.ca;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

import dev.acmesmime.rfc8823.FailureCode;

/**
 * The outcome of {@link ResponseProcessor#process}.
 *
 * @param disposition  what was done
 * @param outcome      the audit outcome: the disposition's code, or for {@link Disposition#REJECTED}
 *                     the first failure code ({@code dkim-misaligned}, {@code list-header}, ...)
 * @param failureCodes every failed check's code, in check order
 * @param challenge    the Message-ID of the correlated challenge
 * @param evidenceId   the id of the evidence record written
 * @param outboxId     the outbox item queued, if any
 */
public record ProcessingResult(Disposition disposition, String outcome, List<FailureCode> failureCodes,
                               Optional<String> challenge, long evidenceId, Optional<Long> outboxId) {
    public ProcessingResult {
        Objects.requireNonNull(disposition, "disposition");
        Objects.requireNonNull(outcome, "outcome");
        failureCodes = List.copyOf(failureCodes);
        Objects.requireNonNull(challenge, "challenge");
        Objects.requireNonNull(outboxId, "outboxId");
    }
}
