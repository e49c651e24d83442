package dev.acmesmime.james.webadmin;

import java.time.Instant;

import dev.acmesmime.store.Enrolment;

/**
 * A mailbox's enrolment as {@code GET /acme-smime/enrolments} shows it; never its private key.
 *
 * @param mailbox       the mailbox
 * @param status        {@code none}, {@code pending}, {@code issued} or {@code failed} ({@link EnrolmentStatus})
 * @param step          the engine's step ({@code challenge-registered}, {@code posted} …), also for rest states
 * @param profile       the CA profile serving it, or {@code null} before the first order
 * @param expires       the current certificate's end of validity, or {@code null} without one
 * @param nextAttemptAt when the engine works on it next (the renewal time once issued), or {@code null}
 * @param attempts      failed attempts at the current step (the retries so far)
 * @param reason        one line about the last failure, or {@code null}
 * @param problemType   the CA's problem type ({@code urn:ietf:params:acme:error:...}), or {@code null}
 */
public record EnrolmentDto(String mailbox, String status, String step, String profile, String expires,
                           String nextAttemptAt, int attempts, String reason, String problemType) {

    static EnrolmentDto of(Enrolment e) {
        return new EnrolmentDto(e.mailbox(), EnrolmentStatus.of(e.step()).value(), EnrolmentStatus.stepName(e.step()),
                e.profile().orElse(null), e.notAfter().map(Instant::toString).orElse(null),
                e.nextAttemptAt().map(Instant::toString).orElse(null), e.attempts(), e.problemDetail().orElse(null),
                e.problemType().orElse(null));
    }
}
