package dev.acmesmime.testca.mail;

import dev.acmesmime.rfc8823.Addresses;
import dev.acmesmime.rfc8823.KeyAuthorization;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;

/**
 * One {@code email-reply-00} challenge's validation (RFC 8823 §3), as the ACME server decides it.
 * It turns valid only when both the correct response digest (from the CA-role James) and the
 * client's POST to the challenge URL (RFC 8555 §7.5.1) have arrived, in either order. The first
 * authentic wrong digest makes it invalid for good (RFC 8823 §6: one chance to guess). It expires
 * after the challenge lifetime (S/MIME BR §3.2.2.4: 24 h).
 * <p>
 * States as the challenge object shows them: {@code pending} until the client POSTs, then
 * {@code processing} until the correct response has arrived too (and, with
 * {@code fault.validationDelay}, until a random delay up to that setting has passed), then
 * {@code valid}. A wrong digest or expiry gives {@code invalid} with {@link #error()}.
 * <p>
 * The digest is compared with the key authorization under the <b>string</b> reading of "concatenate"
 * (RFC 8555 §8.1, checklist X2: {@code token-part1 || token-part2 || "." || thumbprint} as texts): the
 * test CA's deliberate choice. With the default token-part1 both readings agree; with
 * {@code fault.oddTokenLength} a client using the byte reading sends a digest that makes the challenge
 * invalid, which is the point of that fault.
 * <p>
 * With {@code fault.responseOnlyAfterPost} the test CA behaves like CAs that look for the response only
 * when the client POSTs: a correct response that has not arrived within that time after the first POST
 * makes the challenge invalid for good ({@link #NO_RESPONSE_AFTER_POST}); one that came earlier counts.
 * <p>
 * Events from the CA-role forwarder may come twice (it retries until it sees a 2xx answer): a result
 * with an {@code id} already seen gets the same outcome again and changes nothing. All methods are
 * thread-safe.
 */
public final class EmailReplyValidation {

    /** RFC 8555 §7.1.6 challenge states. */
    public enum Status { PENDING, PROCESSING, VALID, INVALID }

    /** The problem detail of a wrong digest; the ACME server prefixes its problem type. */
    public static final String INCORRECT_RESPONSE =
            "incorrectResponse: the digest does not match (RFC 8823 §6 allows one attempt)";
    /** The problem detail of an expired challenge. */
    public static final String EXPIRED = "expired";
    /** The problem detail of a response that was not there in time after the POST. */
    public static final String NO_RESPONSE_AFTER_POST =
            "incorrectResponse: no response within the time after the POST (fault.responseOnlyAfterPost)";

    /** Result ids remembered for idempotency; more than this many for one challenge is abuse. */
    private static final int MAX_REMEMBERED_IDS = 64;

    private final String identifier;
    private final String tokenPart1;
    private final String tokenPart2;
    private final String expectedDigest;
    private final Instant expires;
    private final Duration validationDelay;
    private final Duration responseOnlyAfterPost;
    private final Clock clock;
    private final RandomGenerator random;
    private final Map<String, ResultOutcome> outcomesById = new LinkedHashMap<>();

    private boolean posted;
    private Instant postedAt;
    private String acceptedDigest;
    private Instant validatedAt;
    private String error;

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
        this(identifier, tokenPart1, tokenPart2, thumbprint, expires, validationDelay, Duration.ZERO, clock);
    }

    /**
     * As above, with {@code responseOnlyAfterPost}: how long after the client's POST the response may still
     * arrive (fault injection; zero: no deadline).
     */
    public EmailReplyValidation(String identifier, String tokenPart1, String tokenPart2, String thumbprint,
                                Instant expires, Duration validationDelay, Duration responseOnlyAfterPost,
                                Clock clock) {
        this(identifier, tokenPart1, tokenPart2, thumbprint, expires, validationDelay, responseOnlyAfterPost, clock,
                ThreadLocalRandom.current());
    }

    /** As above, with the generator that draws the validation delay (tests fix it). */
    public EmailReplyValidation(String identifier, String tokenPart1, String tokenPart2, String thumbprint,
                                Instant expires, Duration validationDelay, Clock clock, RandomGenerator random) {
        this(identifier, tokenPart1, tokenPart2, thumbprint, expires, validationDelay, Duration.ZERO, clock, random);
    }

    private EmailReplyValidation(String identifier, String tokenPart1, String tokenPart2, String thumbprint,
                                 Instant expires, Duration validationDelay, Duration responseOnlyAfterPost,
                                 Clock clock, RandomGenerator random) {
        this.identifier = Objects.requireNonNull(identifier, "identifier");
        this.tokenPart1 = Objects.requireNonNull(tokenPart1, "tokenPart1");
        this.tokenPart2 = Objects.requireNonNull(tokenPart2, "tokenPart2");
        this.expectedDigest = KeyAuthorization.digest(tokenPart1, tokenPart2, Objects.requireNonNull(thumbprint,
                "thumbprint"));
        this.expires = Objects.requireNonNull(expires, "expires");
        this.validationDelay = Objects.requireNonNull(validationDelay, "validationDelay");
        this.responseOnlyAfterPost = Objects.requireNonNull(responseOnlyAfterPost, "responseOnlyAfterPost");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
    }

    public String identifier() {
        return identifier;
    }

    public String tokenPart1() {
        return tokenPart1;
    }

    public String tokenPart2() {
        return tokenPart2;
    }

    public Instant expires() {
        return expires;
    }

    /** The client POSTed the challenge URL (RFC 8555 §7.5.1); repeating it changes nothing. */
    public synchronized ResultOutcome clientPosted() {
        Optional<ResultOutcome> done = finalOrExpired();
        if (done.isPresent()) {
            return done.get();
        }
        if (!posted) {
            postedAt = clock.instant();
        }
        posted = true;
        if (acceptedDigest != null) {
            return turnValid();
        }
        return new ResultOutcome("waiting-for-response", "the client has asked for validation; the response mail "
                + "has not arrived yet");
    }

    /** A response's result from the CA-role James: the DKIM-validated From and the digest. */
    public synchronized ResultOutcome result(String from, String digest) {
        Optional<ResultOutcome> done = finalOrExpired();
        if (done.isPresent()) {
            return done.get();
        }
        if (!Addresses.sameMailbox(from, identifier)) {
            // RFC 8823 §3 step 8: the CA-role James checked it already; a mismatch here is its bug, not a guess
            return new ResultOutcome("wrong-from", "the response's From is not the identifier " + identifier);
        }
        if (acceptedDigest != null) {
            return acceptedDigest.equals(digest) || KeyAuthorization.matches(digest, expectedDigest)
                    ? waitingForPost()
                    : new ResultOutcome("already-answered", "a correct response arrived before; this one is ignored");
        }
        if (!KeyAuthorization.matches(digest, expectedDigest)) {
            error = INCORRECT_RESPONSE;
            return new ResultOutcome("invalid", INCORRECT_RESPONSE);
        }
        acceptedDigest = digest;
        return posted ? turnValid() : waitingForPost();
    }

    /**
     * {@link #result(String, String)} for the forwarder's event {@code id}: an id seen before gets the
     * outcome it got then, without touching the state (the forwarder retries until it hears an answer).
     */
    public synchronized ResultOutcome result(String id, String from, String digest) {
        ResultOutcome before = outcomesById.get(id);
        if (before != null) {
            return before;
        }
        ResultOutcome outcome = result(from, digest);
        if (outcomesById.size() < MAX_REMEMBERED_IDS) {
            outcomesById.put(id, outcome);
        }
        return outcome;
    }

    /** The state now (expiry and the validation delay applied). */
    public synchronized Status status() {
        expireIfDue();
        if (error != null) {
            return Status.INVALID;
        }
        if (validatedAt != null) {
            return clock.instant().isBefore(validatedAt) ? Status.PROCESSING : Status.VALID;
        }
        return posted ? Status.PROCESSING : Status.PENDING;
    }

    /** Why it is invalid: an {@code incorrectResponse} (or expiry) detail for the challenge's error. */
    public synchronized Optional<String> error() {
        expireIfDue();
        return Optional.ofNullable(error);
    }

    /** When it turned valid. */
    public synchronized Optional<Instant> validated() {
        return status() == Status.VALID ? Optional.of(validatedAt) : Optional.empty();
    }

    /** The answer for an event that comes too late to change anything, if it does. */
    private Optional<ResultOutcome> finalOrExpired() {
        expireIfDue();
        if (EXPIRED.equals(error)) {
            return Optional.of(new ResultOutcome("expired", "the challenge expired at " + expires));
        }
        if (error != null) {
            return Optional.of(new ResultOutcome("already-final", "the challenge is invalid: " + error));
        }
        if (validatedAt != null) {
            return Optional.of(new ResultOutcome("already-final", "the challenge is valid"));
        }
        return Optional.empty();
    }

    /**
     * Marks an undecided challenge invalid once its lifetime is over, or, with a response deadline after
     * the POST, once that passed without a correct response.
     */
    private void expireIfDue() {
        if (error != null || validatedAt != null) {
            return;
        }
        Instant now = clock.instant();
        if (!now.isBefore(expires)) {
            error = EXPIRED;
        } else if (posted && acceptedDigest == null && !responseOnlyAfterPost.isZero()
                && !now.isBefore(postedAt.plus(responseOnlyAfterPost))) {
            error = NO_RESPONSE_AFTER_POST;
        }
    }

    private ResultOutcome turnValid() {
        long millis = validationDelay.toMillis();
        long delay = millis <= 0 ? 0 : Math.floorMod(random.nextLong(), millis + 1);
        validatedAt = clock.instant().plusMillis(delay);
        return new ResultOutcome("valid", delay == 0 ? "the challenge is valid"
                : "the challenge turns valid at " + validatedAt + " (fault.validationDelay)");
    }

    private static ResultOutcome waitingForPost() {
        return new ResultOutcome("waiting-for-post", "the digest is correct; the challenge turns valid when the "
                + "client POSTs the challenge URL");
    }
}
