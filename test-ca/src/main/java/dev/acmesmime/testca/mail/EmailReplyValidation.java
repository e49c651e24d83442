package dev.acmesmime.testca.mail;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * One {@code email-reply-00} challenge's validation (RFC 8823 §3), as the ACME server decides it.
 * It turns valid only when both the correct response digest (from the CA-role James) and the
 * client's POST to the challenge URL (RFC 8555 §7.5.1) have arrived, in either order. The first
 * authentic wrong digest makes it invalid for good (RFC 8823 §6: one chance to guess). It expires
 * after the challenge lifetime (S/MIME BR §3.2.2.4: 24 h).
 */
public final class EmailReplyValidation {

    /** RFC 8555 §7.1.6 challenge states. */
    public enum Status { PENDING, PROCESSING, VALID, INVALID }

    /**
     * @param identifier      the email identifier (the order's address)
     * @param tokenPart1      sent in the challenge mail's Subject
     * @param tokenPart2      sent in the challenge object ({@code token})
     * @param thumbprint      RFC 7638 thumbprint of the ordering account's key
     * @param expires         when the challenge stops being usable
     * @param validationDelay fault injection: a random delay up to this before VALID shows
     */
    public EmailReplyValidation(String identifier, String tokenPart1, String tokenPart2, String thumbprint,
                                Instant expires, Duration validationDelay, Clock clock) {
        throw new UnsupportedOperationException("not yet built");
    }

    public String identifier() {
        throw new UnsupportedOperationException("not yet built");
    }

    public String tokenPart1() {
        throw new UnsupportedOperationException("not yet built");
    }

    public String tokenPart2() {
        throw new UnsupportedOperationException("not yet built");
    }

    /** The client POSTed the challenge URL (RFC 8555 §7.5.1). */
    public ResultOutcome clientPosted() {
        throw new UnsupportedOperationException("not yet built");
    }

    /** A response's result from the CA-role James: the DKIM-validated From and the digest. */
    public ResultOutcome result(String from, String digest) {
        throw new UnsupportedOperationException("not yet built");
    }

    /** The state now (expiry and the validation delay applied). */
    public Status status() {
        throw new UnsupportedOperationException("not yet built");
    }

    /** Why it is invalid: an {@code incorrectResponse} (or expiry) detail for the challenge's error. */
    public Optional<String> error() {
        throw new UnsupportedOperationException("not yet built");
    }

    /** When it turned valid. */
    public Optional<Instant> validated() {
        throw new UnsupportedOperationException("not yet built");
    }
}
