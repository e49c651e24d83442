package dev.acmesmime.organisation;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import dev.acmesmime.rfc8823.FailureCode;
import dev.acmesmime.rfc8823.Mailboxes;
import dev.acmesmime.rfc8823.ReasonCode;
import dev.acmesmime.rfc8823.Untrusted;
import dev.acmesmime.store.ChallengeStatus;
import dev.acmesmime.store.EnrolmentStep;
import dev.acmesmime.store.PendingChallenge;

/**
 * Which registered challenge a challenge mail answers: the one pending, unexpired challenge of the
 * mailbox whose {@code from} is the mail's From. Otherwise why none: nothing registered (C20), not
 * from the expected sender (C9), expired (C20), answered already (C22), or several candidates that
 * token-part1 cannot tell apart (S0f: a wrong digest would make the CA invalidate the challenge).
 * Nothing registered or only expired, while the mailbox's enrolment has an order in flight whose
 * challenge it has not registered yet, is {@code awaiting-registration} instead ({@link #inFlight}).
 *
 * @param selected the challenge to answer, or {@code null}
 * @param code     why none was selected, or {@code null} when one was
 * @param reason   the log line for {@code code} (values from the mail quoted, C19), or {@code null}
 */
record ChallengeMatch(PendingChallenge selected, ReasonCode code, String reason) {

    /**
     * @param registered the mailbox's registered challenges, whatever their status
     * @param now        the instant expiry is judged at
     */
    static ChallengeMatch of(List<PendingChallenge> registered, String mailbox, String from, Instant now) {
        if (registered.isEmpty()) {
            return none(DecisionCode.NO_PENDING_CHALLENGE, "no challenge is registered for "
                    + Untrusted.quote(mailbox) + " (C20)");
        }
        List<PendingChallenge> fromSender = registered.stream()
                .filter(p -> Mailboxes.same(p.challengeFrom(), from)).toList();
        List<PendingChallenge> answerable = fromSender.stream()
                .filter(p -> p.status() == ChallengeStatus.PENDING && p.expiresAt().isAfter(now)).toList();
        if (fromSender.isEmpty()) {
            return none(FailureCode.UNEXPECTED_SENDER, "From " + Untrusted.quote(from)
                    + " is not the sender of any challenge registered for " + Untrusted.quote(mailbox) + " (C9)");
        }
        if (answerable.isEmpty()) {
            return fromSender.stream().anyMatch(p -> p.status() == ChallengeStatus.ANSWERED
                    || p.status() == ChallengeStatus.ANSWERING)
                    ? none(DecisionCode.ALREADY_ANSWERED,
                            "the challenge registered for this sender was answered already (C22)")
                    : none(DecisionCode.EXPIRED, "the challenge registered for this sender has expired (C20)");
        }
        if (answerable.size() > 1) {
            return none(DecisionCode.AMBIGUOUS_PENDING_CHALLENGE, answerable.size()
                    + " pending challenges expect mail from this sender; token-part1 cannot tell which (S0f)");
        }
        return new ChallengeMatch(answerable.get(0), null, null);
    }

    /**
     * {@code true} when no live challenge of this sender is registered, so that one still to be
     * registered could be the one the mail answers: only then is the enrolment worth reading. That
     * includes {@code already-answered} for the registered one: a renewal's challenge mail finds the
     * previous order's answered challenge of the same CA. A replay of the mail that was answered is
     * still never answered: its (Message-ID, token-part1) claim is taken (C22).
     */
    boolean mayAwaitRegistration() {
        return code == DecisionCode.NO_PENDING_CHALLENGE || code == DecisionCode.EXPIRED
                || code == DecisionCode.ALREADY_ANSWERED;
    }

    /**
     * This match, or {@code awaiting-registration} when {@link #mayAwaitRegistration} and the mailbox's
     * enrolment is at {@code KEY_READY} or {@code ORDERED}: an order placed or about to be, its challenge
     * not registered yet. The CA sends its mail as soon as the order exists, so the mail may come first.
     *
     * @param enrolment the step of the mailbox's enrolment, empty when it has none
     */
    ChallengeMatch inFlight(Optional<EnrolmentStep> enrolment) {
        if (!mayAwaitRegistration() || enrolment.filter(s -> s == EnrolmentStep.KEY_READY
                || s == EnrolmentStep.ORDERED).isEmpty()) {
            return this;
        }
        return none(DecisionCode.AWAITING_REGISTRATION, "the enrolment of this mailbox is at "
                + enrolment.get() + ": its challenge is not registered yet (" + code.code() + " for now, C20)");
    }

    private static ChallengeMatch none(ReasonCode code, String reason) {
        return new ChallengeMatch(null, code, reason);
    }
}
