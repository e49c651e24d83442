package dev.acmesmime.testca.acme;

import dev.acmesmime.testca.mail.EmailReplyValidation;
import java.time.Instant;

/**
 * One authorization (RFC 8555 §7.1.4) for one {@code email} identifier, with its one {@code email-reply-00}
 * challenge (RFC 8823 §3). It belongs to one order of one account: a validation is never reused for another
 * order. Its status follows the challenge's validation; it expires with it.
 *
 * @param id          its id (authz and challenge URL segment)
 * @param accountId   the ordering account
 * @param identifier  the email address
 * @param validation  the challenge's state (mail slice)
 * @param expires     when it expires (the challenge lifetime, S/MIME BR §3.2.2.4: 24 h at most)
 * @param mailDue     when its challenge mail is sent, not before: at once, or later with
 *                    {@code fault.challengeMailDelay}
 */
public record Authorization(String id, String accountId, String identifier, EmailReplyValidation validation,
                            Instant expires, Instant mailDue) {

    /** RFC 8555 §7.1.6 authorization states. */
    public enum Status { PENDING, VALID, INVALID, EXPIRED }

    /** The status now, from the challenge's. */
    public Status status(Instant now) {
        EmailReplyValidation.Status s = validation.status();
        if (s == EmailReplyValidation.Status.VALID) {
            return Status.VALID;
        }
        if (s == EmailReplyValidation.Status.INVALID) {
            return now.isBefore(expires) ? Status.INVALID : Status.EXPIRED;
        }
        return now.isBefore(expires) ? Status.PENDING : Status.EXPIRED;
    }
}
