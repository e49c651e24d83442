package dev.acmesmime.ca;

import dev.acmesmime.ca.forward.ValidatedResponse;

import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import dev.acmesmime.rfc8823.Addresses;
import dev.acmesmime.rfc8823.Check;
import dev.acmesmime.rfc8823.MessageIds;
import dev.acmesmime.rfc8823.TokenPart1;
import dev.acmesmime.rfc8823.Untrusted;
import dev.acmesmime.store.AuditEvent;
import dev.acmesmime.store.AcmeSmimeStore;
import dev.acmesmime.store.AuditRecord;
import dev.acmesmime.store.IssuedChallenge;
import dev.acmesmime.store.RecordLimits;

/**
 * CA role: records the facts of a challenge the ACME server sent without James's challenge
 * signer, as the ACME server notifies them (issue 6: the facts are known "from the challenge signer
 * or from the ACME server's notification"). The facts go through the same
 * {@link ChallengeLedger} path as the signer's, so
 * {@link ResponseProcessor} correlates and times out both alike.
 * <p>
 * Rules: {@code messageId} is one RFC 5322 msg-id ({@code <left@right>}; the brackets are added
 * when missing); {@code tokenPart1} passes core's C4 rule ({@link TokenPart1#check}: base64url, at
 * least 128 bits); {@code recipient} (the identifier being validated, the challenge's To) and
 * {@code responseAddress} (where the response must go: the challenge's Reply-To, else its From) are
 * each one addr-spec; the sub-address tag is the one of {@code responseAddress}
 * ({@code acme+<tag>@ca.example}), as for signed challenges. {@code createdAt} defaults to now and
 * may not lie in the future; the validity ends {@link ResponseProcessor#MAX_VALIDITY} after it
 * (B7; the forwarder's {@code validityHours} may shorten it). A challenge created longer ago than
 * that is recorded all the same: its responses are then {@code expired}.
 * <p>
 * Registering the same facts again is idempotent ({@link Outcome#ALREADY_REGISTERED}); other facts
 * under a recorded Message-ID are a {@link Outcome#CONFLICT} and change nothing. Every call leaves
 * one audit record, event {@code challenge-registered}, whose outcome is the {@link Outcome#code()}.
 */
public final class ChallengeRecorder {

    // The column widths: a notice too long to keep whole is refused, never shortened, since its
    // values are the keys responses are correlated by.
    private static final int MAX_MESSAGE_ID = RecordLimits.MESSAGE_ID;
    private static final int MAX_TOKEN = RecordLimits.TOKEN;
    private static final int MAX_ADDRESS = RecordLimits.ADDRESS;
    private static final int MAX_TAG = 128;

    /** How a registration ended. */
    public enum Outcome {
        /** New facts, recorded. */
        REGISTERED("registered"),
        /** The same facts were recorded before (by this route or by the challenge signer). */
        ALREADY_REGISTERED("already-registered"),
        /** Other facts are recorded under this Message-ID; nothing changed. */
        CONFLICT("conflict"),
        /** A field is missing or malformed; nothing changed. */
        INVALID("invalid");

        private final String code;

        Outcome(String code) {
            this.code = code;
        }

        /** Stable kebab-case name, used as the audit outcome. */
        public String code() {
            return code;
        }
    }

    /**
     * The facts as the ACME server gave them; {@code null} for a field it left out.
     *
     * @param createdAt an ISO-8601 instant such as {@code 2026-11-28T10:00:00Z}
     */
    public record Notice(String messageId, String tokenPart1, String recipient, String responseAddress,
                         String createdAt) {
    }

    /**
     * @param challenge the recorded challenge (for {@link Outcome#REGISTERED}, {@link Outcome#ALREADY_REGISTERED}
     *                  and {@link Outcome#CONFLICT}: the one recorded before)
     * @param field     the field at fault ({@link Outcome#INVALID}, {@link Outcome#CONFLICT})
     * @param reason    one line, naming the field
     */
    public record Result(Outcome outcome, Optional<IssuedChallenge> challenge, Optional<String> field, String reason) {
        public Result {
            Objects.requireNonNull(outcome, "outcome");
            Objects.requireNonNull(challenge, "challenge");
            Objects.requireNonNull(field, "field");
            Objects.requireNonNull(reason, "reason");
        }
    }

    private final AcmeSmimeStore store;
    private final Clock clock;

    public ChallengeRecorder(AcmeSmimeStore store, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Validates and records one notice.
     *
     * @param source who sent it, for the audit record (e.g. {@code WebAdmin from 127.0.0.1})
     */
    public Result register(Notice n, String source) {
        // the store keeps microseconds: compare what it will give back
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        Result r = validate(n, now);
        if (r.outcome() == Outcome.INVALID) {
            store.audit().append(AuditRecord.entry(AuditEvent.CHALLENGE_REGISTERED).outcome(r.outcome().code())
                    .detail(r.reason() + "; from " + source));
            return r;
        }
        IssuedChallenge c = r.challenge().orElseThrow();
        boolean createdAtGiven = n.createdAt() != null;
        return store.inTransaction(() -> {
            Result done = record(c, createdAtGiven);
            IssuedChallenge shown = done.outcome() == Outcome.CONFLICT ? c : done.challenge().orElseThrow();
            store.audit().append(AuditRecord.entry(AuditEvent.CHALLENGE_REGISTERED).address(shown.identifier()).token(shown.tokenPart1())
                    .messageId(shown.messageId()).outcome(done.outcome().code())
                    .detail((done.outcome() == Outcome.CONFLICT ? done.reason() + "; " : "") + "created "
                            + shown.createdAt() + ", expires " + shown.expiresAt() + ", response address "
                            + shown.responseAddress() + shown.tag().map(t -> " (tag " + t + ")").orElse("")
                            + "; from " + source + ", method " + ValidatedResponse.METHOD));
            return done;
        });
    }

    private Result record(IssuedChallenge c, boolean createdAtGiven) {
        ChallengeLedger.Entry e = new ChallengeLedger(store.issuedChallenges()).record(c, createdAtGiven);
        if (e.added()) {
            return new Result(Outcome.REGISTERED, Optional.of(c), Optional.empty(), "registered " + c.messageId());
        }
        if (e.differ().isEmpty()) {
            return new Result(Outcome.ALREADY_REGISTERED, Optional.of(e.challenge()), Optional.empty(),
                    "already registered " + c.messageId());
        }
        return new Result(Outcome.CONFLICT, Optional.of(e.challenge()), Optional.of(e.differ().get(0)), "'messageId' "
                + c.messageId() + " is registered with other facts: " + String.join(", ", e.differ()) + " differ");
    }

    private static Result validate(Notice n, Instant now) {
        String messageId = trimmed(n.messageId());
        if (messageId != null && !messageId.startsWith("<")) {
            messageId = "<" + messageId + ">";
        }
        Optional<Result> bad = messageIdProblem(messageId, n.messageId());
        if (bad.isEmpty()) {
            bad = tokenProblem(trimmed(n.tokenPart1()));
        }
        if (bad.isEmpty()) {
            bad = addressProblem("recipient", n.recipient());
        }
        if (bad.isEmpty()) {
            bad = addressProblem("responseAddress", n.responseAddress());
        }
        if (bad.isPresent()) {
            return bad.get();
        }
        String recipient = n.recipient().strip();
        String responseAddress = n.responseAddress().strip();
        String tag = MessageIds.tagOf(responseAddress);
        if (tag != null && tag.length() > MAX_TAG) {
            return invalid("responseAddress", "has a sub-address tag longer than " + MAX_TAG + " characters");
        }
        Instant createdAt = now;
        String created = trimmed(n.createdAt());
        if (created != null) {
            try {
                createdAt = Instant.parse(created).truncatedTo(ChronoUnit.MICROS);
            } catch (DateTimeParseException e) {
                return invalid("createdAt", Untrusted.quote(n.createdAt())
                        + " is not an ISO-8601 instant such as 2026-11-28T10:00:00Z");
            }
            if (createdAt.isAfter(now)) {
                return invalid("createdAt", createdAt + " is in the future (now " + now + ")");
            }
        }
        IssuedChallenge c = IssuedChallenge.sent(messageId, n.tokenPart1().strip(), recipient, responseAddress, tag, createdAt,
                createdAt.plus(ResponseProcessor.MAX_VALIDITY));
        return new Result(Outcome.REGISTERED, Optional.of(c), Optional.empty(), "valid");
    }

    /** R10: one msg-id, since responses name their challenge by it. */
    private static Optional<Result> messageIdProblem(String messageId, String given) {
        if (messageId == null) {
            return Optional.of(invalid("messageId", "is missing"));
        }
        if (messageId.length() > MAX_MESSAGE_ID || !MessageIds.isMessageId(messageId)) {
            return Optional.of(invalid("messageId", Untrusted.quote(given)
                    + " is not one msg-id <left@right> of at most " + MAX_MESSAGE_ID + " characters"));
        }
        return Optional.empty();
    }

    /** C4: token-part1 is base64url of at least 128 bits. */
    private static Optional<Result> tokenProblem(String token) {
        if (token == null) {
            return Optional.of(invalid("tokenPart1", "is missing"));
        }
        if (token.length() > MAX_TOKEN) {
            return Optional.of(invalid("tokenPart1", "is longer than " + MAX_TOKEN + " characters"));
        }
        Check tokenCheck = TokenPart1.check(token);
        if (!tokenCheck.ok()) {
            return Optional.of(invalid("tokenPart1", tokenCheck.code().code() + ": " + tokenCheck.detail()));
        }
        return Optional.empty();
    }

    private static Optional<Result> addressProblem(String field, String value) {
        String v = trimmed(value);
        if (v == null) {
            return Optional.of(invalid(field, "is missing"));
        }
        List<String> boxes = Addresses.mailboxes(v);
        if (v.length() > MAX_ADDRESS || boxes.size() != 1 || !boxes.get(0).equals(v)) {
            return Optional.of(invalid(field, Untrusted.quote(value) + " is not one address local@domain of at most "
                    + MAX_ADDRESS + " characters"));
        }
        // the domain is stored on its own (per-domain limits): found by fuzzing, a 275-character one was a 500
        if (v.length() - v.lastIndexOf('@') - 1 > RecordLimits.DOMAIN) {
            return Optional.of(invalid(field, "has a domain longer than " + RecordLimits.DOMAIN + " characters"));
        }
        return Optional.empty();
    }

    private static String trimmed(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    private static Result invalid(String field, String why) {
        return new Result(Outcome.INVALID, Optional.empty(), Optional.of(field), "'" + field + "' " + why);
    }
}
