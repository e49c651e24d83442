package dev.acmesmime.organisation;

import java.time.Instant;
import java.util.List;

import dev.acmesmime.rfc8823.FailureCode;
import dev.acmesmime.rfc8823.Mailboxes;
import dev.acmesmime.rfc8823.ReasonCode;
import dev.acmesmime.rfc8823.Untrusted;
import dev.acmesmime.store.ChallengeStatus;
import dev.acmesmime.store.PendingChallenge;

/**
 * Which registered challenge a challenge mail answers: the one pending, unexpired challenge of the
 * mailbox whose {@code from} is the mail's From. Otherwise why none: nothing registered (C20), not
 * from the expected sender (C9), expired (C20), answered already (C22), or several candidates that
 * token-part1 cannot tell apart (S0f: a wrong digest would make the CA invalidate the challenge).
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

    private static ChallengeMatch none(ReasonCode code, String reason) {
        return new ChallengeMatch(null, code, reason);
    }
}
