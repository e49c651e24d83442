package dev.acmesmime.organisation;

import java.util.Arrays;
import java.util.Optional;

import dev.acmesmime.rfc8823.FailureCode;
import dev.acmesmime.rfc8823.ReasonCode;

/**
 * The stable codes of the organisation role's decisions that are not about the mail's content
 * (those are {@link FailureCode}s): whether the challenge was expected, may be
 * answered now, and by whom. Like failure codes, they are never renamed; a decision lists both kinds
 * together, failure codes first.
 * <p>
 * {@code docs/rules.md} carries the same table for admins.
 */
public enum DecisionCode implements ReasonCode {
    /**
     * The challenge was answered: the one code of an answered decision. Listed for completeness;
     * it never appears together with another code.
     */
    ANSWERED("answered", "R1–R18, C22"),
    /** The envelope sender is null ({@code MAIL FROM:<>}): never auto-answered (RFC 3834 §2, checklist §6.1 step 10). */
    NULL_SENDER("null-sender", "§6.1 step 10"),
    /** The recipient is not a local mailbox of this server (checklist §6.1 step 1). */
    NOT_LOCAL_RECIPIENT("not-local-recipient", "§6.1 step 1"),
    /** No challenge is registered for the mailbox at all (C20). */
    NO_PENDING_CHALLENGE("no-pending-challenge", "C20"),
    /**
     * Not judged yet: a genuine challenge (every check passed) found no live registered challenge, but the
     * mailbox's enrolment has placed its order, or is about to, and has not registered the challenge yet.
     * The CA sends its mail as soon as the order exists, so it may beat the registration; the mailet tries
     * the mail again a few seconds later instead of ignoring it for good ({@link Decision#awaitingRegistration}).
     * Never answered as such.
     */
    AWAITING_REGISTRATION("awaiting-registration", "C20"),
    /** The only matching registered challenges have expired (C20). */
    EXPIRED("expired", "C20"),
    /**
     * The matching registered challenge was answered already, or this challenge mail was
     * (same Message-ID and token-part1, on any node sharing the store): never twice (C22).
     */
    ALREADY_ANSWERED("already-answered", "C22"),
    /**
     * More than one pending challenge for the mailbox expects mail from this sender: token-part1 does
     * not say which, and a wrong digest would make the CA invalidate the challenge (S0f), so none is
     * answered. Register one challenge per mailbox and CA address at a time.
     */
    AMBIGUOUS_PENDING_CHALLENGE("ambiguous-pending-challenge", "C20, S0f"),
    /** The mailbox reached its limit of responses per hour (§6.1 step 10). */
    RATE_LIMITED_MAILBOX("rate-limited-mailbox", "§6.1 step 10"),
    /** The CA sender domain reached its limit of responses per hour (§6.1 step 10). */
    RATE_LIMITED_SENDER_DOMAIN("rate-limited-sender-domain", "§6.1 step 10");

    private final String code;
    private final String rules;

    DecisionCode(String code, String rules) {
        this.code = code;
        this.rules = rules;
    }

    /** The stable kebab-case code, e.g. {@code no-pending-challenge}. */
    @Override
    public String code() {
        return code;
    }

    /** Checklist IDs of the rules behind this code. */
    @Override
    public String rules() {
        return rules;
    }

    public static Optional<DecisionCode> fromCode(String code) {
        return Arrays.stream(values()).filter(c -> c.code.equals(code)).findFirst();
    }

    @Override
    public String toString() {
        return code;
    }
}
