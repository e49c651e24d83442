package dev.acmesmime.enrolment;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

import dev.acmesmime.acme.CaProblem;
import dev.acmesmime.metrics.MetricNames;
import dev.acmesmime.store.AuditEvent;
import dev.acmesmime.store.AuditRecord;
import dev.acmesmime.store.Enrolment;
import dev.acmesmime.store.EnrolmentStep;
import dev.acmesmime.store.RetryPolicy;

/**
 * How a failed step is stored: the problem (the CA's type and detail, or ours) stays on the row until the
 * next certificate, the attempts since the last certificate are counted, and the next attempt waits: as
 * the CA's Retry-After says for {@code rateLimited} (RFC 8555 §6.6), else with exponential back-off
 * ({@code enrolment.retry.*}). Each failure writes an {@code enrolment-failed} audit record.
 */
final class Failures {
    private final RetryPolicy retry;
    private final Clock clock;

    Failures(RetryPolicy retry, Clock clock) {
        this.retry = retry;
        this.clock = clock;
    }

    /**
     * A {@link dev.acmesmime.acme.CaException}: a rate limit or the CA's own trouble retries the same step;
     * a refusal fails the enrolment.
     */
    Step fromCa(Enrolment e, CaProblem p) {
        Instant backOff = backOff(e);
        if (p.is("rateLimited")) {
            return at(e, e.step(), EnrolmentFailure.RATE_LIMITED, p, p.retryAfter().orElse(backOff));
        }
        if (p.retryable()) {
            Instant at = p.retryAfter().filter(backOff::isBefore).orElse(backOff);
            return at(e, e.step(), EnrolmentFailure.CA_UNAVAILABLE, p, at);
        }
        return at(e, EnrolmentStep.FAILED, EnrolmentFailure.CA_REFUSED, p, backOff);
    }

    /** The order is dead (invalid, or its challenge expired): a new order on the next attempt. */
    Step orderDead(Enrolment e, EnrolmentFailure code, CaProblem p) {
        return at(e, EnrolmentStep.KEY_READY, code, p, backOff(e));
    }

    /** Given up at this step: {@link EnrolmentStep#FAILED}, tried again from the start after back-off. */
    Step failed(Enrolment e, EnrolmentFailure code, String detail) {
        return at(e, EnrolmentStep.FAILED, code, CaProblem.client(code.code(), detail), backOff(e));
    }

    /** The same step again after back-off. */
    Step retry(Enrolment e, EnrolmentFailure code, String detail) {
        return at(e, e.step(), code, CaProblem.client(code.code(), detail), backOff(e));
    }

    private Instant backOff(Enrolment e) {
        return clock.instant().plus(retry.delayAfter(e.attempts() + 1));
    }

    private static Step at(Enrolment e, EnrolmentStep step, EnrolmentFailure code, CaProblem p, Instant next) {
        Enrolment failed = e.withStep(step).withSchedule(e.attempts() + 1, next).withProblem(p.type(), p.detail());
        AuditRecord.Entry entry = AuditRecord.entry(AuditEvent.ENROLMENT_FAILED).address(e.mailbox())
                .outcome(p.type()).detail(e.step() + ": " + p.detail()).codes(List.of(code.code()));
        return Step.waiting(failed).recording(entry, MetricNames.child(MetricNames.ENROLMENT_FAILURES, code.code()));
    }
}
