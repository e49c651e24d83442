package dev.acmesmime.organisation;

import java.util.List;
import java.util.Objects;

import dev.acmesmime.rfc8823.Mailboxes;
import dev.acmesmime.rfc8823.Prefilter;
import dev.acmesmime.store.PendingChallengeStore;

/**
 * Whether a mail, judged by its headers and envelope recipients alone, could answer a challenge this
 * node is waiting for: it looks like a challenge ({@link Prefilter}, as the {@code IsAcmeChallenge}
 * matcher asks) and one of its first {@value #RECIPIENTS_CHECKED} recipients has a pending, unexpired
 * challenge registered from the mail's From ({@link PendingChallengeStore#findAnswerable}). One indexed
 * read per recipient, no parsing of the body, no DNS.
 * <p>
 * It decides nothing: a mail it expects still gets every check of {@link ChallengeResponder}, and one
 * it does not expect is not refused. It only lets an adapter give expected mail a shorter way through the
 * mail server than a flood of others (issue 14 §5), so it errs on the side of "not expected": a forged
 * mail can pass it only by naming a mailbox that waits for a challenge and that challenge's sender.
 */
public final class ExpectedChallenge {
    /** Recipients looked up at most: a challenge has one (C10); a mail with many is not worth many reads. */
    public static final int RECIPIENTS_CHECKED = 5;

    private final PendingChallengeStore pending;

    public ExpectedChallenge(PendingChallengeStore pending) {
        this.pending = Objects.requireNonNull(pending, "pending");
    }

    /**
     * @param rawSubject       the Subject field's raw value (folded, possibly RFC 2047-encoded), or {@code null}
     * @param rawAutoSubmitted the Auto-Submitted field's raw value, or {@code null}
     * @param from             the address of the From field, or {@code null} when it has none or cannot be read
     * @param recipients       the envelope recipients, as addresses
     */
    public boolean expected(String rawSubject, String rawAutoSubmitted, String from, List<String> recipients) {
        if (from == null || !Prefilter.looksLikeChallenge(rawSubject, rawAutoSubmitted)) {
            return false;
        }
        return recipients.stream().limit(RECIPIENTS_CHECKED).anyMatch(r -> waitsFor(r, from));
    }

    private boolean waitsFor(String recipient, String from) {
        String mailbox;
        try {
            mailbox = Mailboxes.normalize(recipient); // as the responder looks it up
        } catch (IllegalArgumentException e) {
            return false;
        }
        return pending.findAnswerable(mailbox).stream().anyMatch(p -> Mailboxes.same(p.challengeFrom(), from));
    }
}
