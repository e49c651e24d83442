package dev.acmesmime.enrolment;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import dev.acmesmime.rfc8823.KeyAuthorization;
import dev.acmesmime.store.EnrolmentStore;
import dev.acmesmime.store.PendingChallenge;
import dev.acmesmime.store.PendingChallengeStore;
import dev.acmesmime.testca.client.CaRoleForwarder;
import dev.acmesmime.testca.client.ChallengeMails;
import dev.acmesmime.testca.client.RunningTestCa;

/**
 * Stands in for the two James processes of a deployment: reads the challenge mail from the test CA's SMTP
 * sink, computes the digest from the challenge the engine registered (as the organisation-role responder
 * does), posts the result as the CA-role James would, marks the pending challenge answered in the store and
 * wakes the enrolment waiting for it (as the responder's outbox does once its response is in the spool).
 */
final class StandInResponder {
    private final RunningTestCa ca;
    private final PendingChallengeStore pending;
    private final EnrolmentStore enrolments;

    StandInResponder(RunningTestCa ca, PendingChallengeStore pending, EnrolmentStore enrolments) {
        this.ca = ca;
        this.pending = pending;
        this.enrolments = enrolments;
    }

    /** Answers the {@code index}th (from 0) challenge mail to {@code mailbox}. */
    CaRoleForwarder.Answer answer(String mailbox, int index) {
        return answer(mailbox, index, false);
    }

    /** Answers it with the digest of another account key: an authentic response, the wrong digest. */
    CaRoleForwarder.Answer answerWrongly(String mailbox, int index) {
        return answer(mailbox, index, true);
    }

    private CaRoleForwarder.Answer answer(String mailbox, int index, boolean wrong) {
        // the engine registers the challenge right after ordering, and the CA sends its mail then
        PendingChallenge p = await("a registered challenge for " + mailbox).atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(100)).until(() -> pending.findAnswerable(mailbox),
                        l -> !l.isEmpty()).get(0);
        ChallengeMails.Received mail = ca.mails().awaitFor(mailbox, index);
        String thumbprint = wrong ? "x".repeat(43) : p.accountThumbprint();
        String digest = KeyAuthorization.digest(mail.tokenPart1(), p.tokenPart2(), thumbprint);
        CaRoleForwarder.Answer answer = ca.forwarder().post(mail, digest);
        if (!pending.markAnswered(p.challengeUrl(), "<response-" + index + "@" + mailbox.split("@")[1] + ">")) {
            throw new IllegalStateException("the challenge " + p.challengeUrl() + " was not answerable");
        }
        enrolments.wake(p.mailbox(), p.challengeUrl(), Instant.now());
        return answer;
    }

    /** The challenges the engine registered for {@code mailbox}, newest first. */
    List<PendingChallenge> registered(String mailbox) {
        return pending.findByMailbox(mailbox, 10);
    }
}
