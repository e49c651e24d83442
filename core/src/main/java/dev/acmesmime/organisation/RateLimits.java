package dev.acmesmime.organisation;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import dev.acmesmime.rfc8823.Mailboxes;
import dev.acmesmime.store.PendingChallengeStore;

/**
 * How many responses the organisation sends per hour (checklist §6.1 step 10, RFC 8555 §10.3), counted
 * from the answered challenges in the store, so every James node sharing the store shares the counts.
 * Two challenges answered at the same instant on two nodes may both pass the last free slot: the
 * limit is a guard against floods, not an exact quota.
 *
 * @param perMailboxPerHour      responses per mailbox in any 60 minutes; 0 means no limit
 * @param perSenderDomainPerHour responses to challenges from one CA domain (the domain of the challenge
 *                               From) in any 60 minutes, all mailboxes together; 0 means no limit
 */
public record RateLimits(int perMailboxPerHour, int perSenderDomainPerHour) {

    /** Default per mailbox: {@value}. A certificate order needs one; a few retries fit. */
    public static final int DEFAULT_PER_MAILBOX_PER_HOUR = 5;
    /** Default per CA domain: {@value}. */
    public static final int DEFAULT_PER_SENDER_DOMAIN_PER_HOUR = 100;

    public static final RateLimits DEFAULT = new RateLimits(DEFAULT_PER_MAILBOX_PER_HOUR,
            DEFAULT_PER_SENDER_DOMAIN_PER_HOUR);
    public static final RateLimits NONE = new RateLimits(0, 0);

    public RateLimits {
        if (perMailboxPerHour < 0 || perSenderDomainPerHour < 0) {
            throw new IllegalArgumentException("rate limits must be 0 (no limit) or positive");
        }
    }

    /**
     * The limit a response to {@code from} for {@code mailbox} would exceed now, the mailbox's first;
     * empty when it may be sent.
     *
     * @param ownOrder the challenge is the one the mailbox's own enrolment registered: the per-domain limit,
     *                 a guard against a flood of registrations, does not apply, since the enrolment engine
     *                 paces its orders itself ({@code enrolment.ordersPerMinute}) and a mailbox-wide
     *                 enrolment of thousands of mailboxes from one CA would otherwise take hours per hundred
     */
    Optional<DecisionCode> reached(PendingChallengeStore answered, String mailbox, String from, Instant now,
                                   boolean ownOrder) {
        Instant hourAgo = now.minus(Duration.ofHours(1));
        if (perMailboxPerHour > 0 && answered.countAnsweredSince(mailbox, hourAgo) >= perMailboxPerHour) {
            return Optional.of(DecisionCode.RATE_LIMITED_MAILBOX);
        }
        if (perSenderDomainPerHour > 0 && !ownOrder
                && answered.countAnsweredFromDomainSince(Mailboxes.domainOf(from), hourAgo) >= perSenderDomainPerHour) {
            return Optional.of(DecisionCode.RATE_LIMITED_SENDER_DOMAIN);
        }
        return Optional.empty();
    }
}
