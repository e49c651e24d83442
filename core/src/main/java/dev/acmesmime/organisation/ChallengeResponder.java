package dev.acmesmime.organisation;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.acmesmime.metrics.PluginMetrics;
import dev.acmesmime.rfc8823.AcmeMailInspector;
import dev.acmesmime.rfc8823.Check;
import dev.acmesmime.rfc8823.Expectations;
import dev.acmesmime.rfc8823.FailureCode;
import dev.acmesmime.rfc8823.Mailboxes;
import dev.acmesmime.rfc8823.MessageKind;
import dev.acmesmime.rfc8823.ReasonCode;
import dev.acmesmime.rfc8823.ResponseMail;
import dev.acmesmime.rfc8823.Untrusted;
import dev.acmesmime.rfc8823.Verdict;
import dev.acmesmime.store.AuditEvent;
import dev.acmesmime.store.AcmeSmimeStore;
import dev.acmesmime.store.AuditRecord;
import dev.acmesmime.store.Enrolment;
import dev.acmesmime.store.EnrolmentStep;
import dev.acmesmime.store.OutgoingResponse;
import dev.acmesmime.store.PendingChallenge;
import dev.acmesmime.store.PendingChallengeStore;
import dev.acmesmime.store.RecordLimits;
import dev.acmesmime.store.StoreException;

/**
 * The organisation role (RFC 8823 §3 steps 5–6, checklist §6.1): decides whether a challenge mail that
 * reached a local mailbox is answered, and if so composes and DKIM-signs the one response. James-free;
 * the mailet {@code AcmeChallengeResponder} is its glue.
 * <pre>{@code
 * ChallengeResponder responder = ChallengeResponder.builder()
 *         .store(store)
 *         .inspector(AcmeMailInspector.builder().authenticity(dkimOrSmime).build())
 *         .signingKeys(DkimKeyDirectory.open(Path.of("/etc/james/dkim"), clock))
 *         .build();
 * Decision d = responder.respond(raw, "acme@ca.example", "alice@org.example");
 * if (d.answered()) delivery.deliver(d.challengeUrl().orElseThrow()); // from the response outbox
 * }</pre>
 *
 * <h2>What is decided, in this order</h2>
 * <ol>
 *   <li>A null envelope sender is never answered ({@code null-sender}, §6.1 step 10); the mail is not inspected.</li>
 *   <li>A mail that is no challenge at all (no {@code ACME:} label in the Subject) is {@code not-acme}: neither
 *       logged above DEBUG nor audited, since the matcher also lets through every {@code Auto-Submitted:
 *       auto-generated} mail.</li>
 *   <li>The full challenge inspection with the configured authenticity verifier, To expected to be the
 *       mailbox (C4–C17, C21, C23, C24, D2–D5, D14; a challenge reaching the mailbox only by Cc fails {@code to}, C10).</li>
 *   <li>The registered challenges of the mailbox ({@link PendingChallengeStore}): none is
 *       {@code no-pending-challenge}; none whose {@code from} is the mail's From is {@code unexpected-sender} (C9);
 *       only expired ones {@code expired}, only answered ones {@code already-answered} (C20, C22), several pending
 *       ones {@code ambiguous-pending-challenge}. A genuine challenge (every check above passed) that finds
 *       nothing registered, or only expired ones, while the mailbox's enrolment is at {@code KEY_READY} or
 *       {@code ORDERED} is not judged yet: {@code awaiting-registration} ({@link Decision#awaitingRegistration}),
 *       since the CA sends its mail as soon as the order exists, before the enrolment registers its challenge;
 *       the mailet tries it again seconds later.</li>
 *   <li>Rate limits ({@code rate-limited-mailbox}, {@code rate-limited-sender-domain}), only when everything else passed.</li>
 *   <li>The response is composed (R1–R18) and signed with the mailbox domain's key (D6–D9) before anything is
 *       claimed, so a missing key leaves the challenge answerable once the key is installed.</li>
 *   <li>In one transaction of the shared store: the challenge mail is claimed by (Message-ID, token-part1), the
 *       registered challenge marked {@code answering} with the response's Message-ID, and the signed response
 *       put in the response outbox (C22, issue 14 §3). Losing either race is {@code already-answered}: no
 *       response. The caller hands the response to the mail system through {@link ResponseDelivery}, which
 *       marks the challenge {@code answered} once it is taken and retries until it expires otherwise.</li>
 * </ol>
 * Every other decision is logged (C19: one INFO line with its codes and audit id, under the MDC keys
 * {@code acme-smime.role} and {@code acme-smime.mailbox}), counted ({@link Builder#metrics}) and appended to
 * the audit log as event {@code challenge-answered} or {@code challenge-ignored} for the mailbox; a registered challenge's status tells its owner (the
 * enrolment, or whoever registered it) that the response went out and it may POST to the challenge URL (R17).
 * <p>
 * Exceptions are for I/O and configuration only: the store unreachable, or no DKIM key for the mailbox's
 * domain ({@link ResponderException}). Bad mail always gets a decision.
 */
public final class ChallengeResponder {
    /** Registered challenges of one mailbox considered at most: the newest; older ones cannot change the decision. */
    static final int MAX_CANDIDATES = 20;
    private static final int MAX_REASON = 2000;
    private static final Logger LOGGER = LoggerFactory.getLogger(ChallengeResponder.class);

    private final AcmeSmimeStore store;
    private final AcmeMailInspector inspector;
    private final DkimKeyDirectory keys;
    private final RateLimits rateLimits;
    private final Clock clock;
    private final DecisionReport report;

    private ChallengeResponder(Builder b) {
        this.store = b.store;
        this.inspector = b.inspector;
        this.keys = b.keys;
        this.rateLimits = b.rateLimits;
        this.clock = b.clock;
        this.report = new DecisionReport(b.metrics);
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Decides about one challenge mail for one mailbox and, when it is answered, returns the signed response
     * to send. Call once per local recipient.
     *
     * @param raw            the mail as received
     * @param envelopeSender the SMTP MAIL FROM address, or {@code null} for the null sender {@code <>}
     * @param recipient      the local mailbox it was delivered to (envelope recipient)
     * @throws ResponderException when the mailbox's domain has no DKIM key
     * @throws StoreException when the store fails
     */
    public Decision respond(byte[] raw, String envelopeSender, String recipient) {
        Objects.requireNonNull(raw, "raw");
        String mailbox = Mailboxes.normalize(recipient);
        try (DecisionReport.Scope scope = DecisionReport.scope(mailbox)) {
            return decide(raw, envelopeSender, mailbox);
        }
    }

    private Decision decide(byte[] raw, String envelopeSender, String mailbox) {
        if (envelopeSender == null || envelopeSender.isBlank()) {
            return record(Decision.ignored(mailbox, List.of(DecisionCode.NULL_SENDER),
                    "null envelope sender: an automatic reply is never sent to <> (RFC 3834 §2)", null, null),
                    null, null);
        }
        Verdict verdict = inspector.inspectChallenge(raw, Expectations.builder().expectedTo(mailbox).build());
        if (verdict.has(FailureCode.NOT_ACME)) {
            // Not a challenge at all (e.g. any Auto-Submitted: auto-generated notification the matcher let
            // through): nothing to answer, nothing to record for an admin, nothing to mark in the mailbox.
            LOGGER.debug("mail for {} is no RFC 8823 challenge: {}", mailbox, verdict.checks());
            return Decision.ignored(mailbox, List.of(FailureCode.NOT_ACME), "not an RFC 8823 challenge",
                    verdict, null);
        }
        List<ReasonCode> codes = new ArrayList<>(verdict.failureCodes());
        List<String> reasons = verdict.checks().stream().filter(c -> !c.ok())
                .map(Check::toString).collect(Collectors.toCollection(ArrayList::new));
        String from = verdict.values().from();
        String token = verdict.values().tokenPart1();
        String messageId = verdict.values().messageId();

        Instant now = clock.instant();
        ChallengeMatch match = ChallengeMatch.of(store.pendingChallenges().findByMailbox(mailbox, MAX_CANDIDATES),
                mailbox, from, now);
        if (codes.isEmpty() && verdict.valid() && match.mayAwaitRegistration()) {
            // a genuine challenge only: a forged one is ignored at once with its own codes
            Optional<EnrolmentStep> step = store.enrolments().find(mailbox).map(Enrolment::step);
            if (step.isPresent() && step.get() == EnrolmentStep.CHALLENGE_REGISTERED) {
                // the engine registers the challenge before it stores this step: read between the two lookups
                // above, the registration is there now (the benchmark lost 1 of 1,000 mails to that window)
                match = ChallengeMatch.of(store.pendingChallenges().findByMailbox(mailbox, MAX_CANDIDATES), mailbox,
                        from, now);
            } else {
                match = match.inFlight(step);
            }
        }
        if (match.code() != null) {
            add(codes, reasons, match.code(), match.reason());
        }
        PendingChallenge selected = match.selected();
        URI url = selected == null ? null : selected.challengeUrl();
        if (!codes.isEmpty() || !verdict.valid()) {
            if (codes.isEmpty()) {
                // a verdict is valid only with a passing authenticity check: fail closed on anything else
                add(codes, reasons, FailureCode.DKIM_NONE, "no authenticity check passed (C15)");
            }
            return record(Decision.ignored(mailbox, codes, reason(reasons), verdict, url), token, messageId);
        }

        return answer(verdict, selected, mailbox, now);
    }

    /** Rate limits, then the signed response, claimed and marked answered atomically (C22). */
    private Decision answer(Verdict verdict, PendingChallenge selected, String mailbox, Instant now) {
        String token = verdict.values().tokenPart1();
        String messageId = verdict.values().messageId();
        URI url = selected.challengeUrl();
        boolean ownOrder = store.enrolments().find(mailbox).flatMap(Enrolment::challengeUrl).filter(url::equals)
                .isPresent();
        Optional<DecisionCode> limited = rateLimits.reached(store.pendingChallenges(), mailbox,
                verdict.values().from(), now, ownOrder);
        if (limited.isPresent()) {
            return record(Decision.ignored(mailbox, List.of(limited.get()), "rate limit reached: " + limited.get().code()
                    + " (" + rateLimits + ")", verdict, url), token, messageId);
        }

        Decision.Response response = compose(verdict, selected, mailbox);
        String lost = store.inTransaction(() -> claim(selected, response, token, messageId));
        if (lost != null) {
            return record(Decision.ignored(mailbox, List.of(DecisionCode.ALREADY_ANSWERED), lost, verdict, url),
                    token, messageId);
        }
        return record(Decision.answered(mailbox, "answered " + Untrusted.quote(messageId) + " for challenge "
                + selected.challengeUrl() + " with " + response.messageId() + " to " + Untrusted.quote(response.recipient()),
                verdict, selected.challengeUrl(), response), token, messageId);
    }

    /**
     * In one transaction (C22, issue 14 §3): the challenge mail claimed, the registered challenge marked
     * answering and its response put in the outbox, so a claimed challenge always has its response
     * waiting. Losing either race leaves no response; a won claim of the mail stays, as a second delivery
     * of it must not be answered either.
     *
     * @return null when claimed, else why not
     */
    private String claim(PendingChallenge selected, Decision.Response response, String token, String messageId) {
        if (!store.answeredChallenges().claim(ClaimKey.of(messageId, RecordLimits.MESSAGE_ID),
                ClaimKey.of(token, RecordLimits.TOKEN), response.envelopeSender())) {
            return "this challenge mail was answered already, here or on another node (C22)";
        }
        if (!store.pendingChallenges().markAnswering(selected.challengeUrl(), response.messageId())) {
            return "the registered challenge was answered or expired meanwhile (C22)";
        }
        store.responseOutbox().enqueue(new OutgoingResponse.Content(selected.challengeUrl(), response.envelopeSender(),
                response.envelopeSender(), response.recipient(), response.messageId(), response.message(),
                selected.expiresAt()));
        return null;
    }

    private Decision.Response compose(Verdict verdict, PendingChallenge challenge, String mailbox) {
        ResponseMail mail = ResponseMail.answering(verdict, challenge.tokenPart2(), challenge.accountThumbprint())
                .from(mailbox)
                .clock(clock)
                .build();
        byte[] signed = keys.requireSignerFor(mailbox).sign(mail.toByteArray(), MessageKind.RESPONSE);
        return new Decision.Response(mailbox, mail.to(), mail.messageId(), signed);
    }

    /** Audits, logs and counts a decision (not-acme mail is none of these). */
    private Decision record(Decision d, String token, String messageId) {
        AuditRecord.Entry e = AuditRecord.entry(d.answered() ? AuditEvent.CHALLENGE_ANSWERED : AuditEvent.CHALLENGE_IGNORED)
                .address(d.mailbox())
                .token(token)
                .messageId(messageId)
                .outcome(d.codes().get(0).code())
                .codes(d.codeValues())
                .detail("codes=" + String.join(",", d.codeValues())
                        + d.challengeUrl().map(u -> "; challenge=" + u).orElse("")
                        + d.response().map(r -> "; response=" + r.messageId()).orElse("")
                        + "; " + d.reason());
        Long auditId = null;
        try {
            auditId = store.audit().append(e).id();
        } catch (RuntimeException ex) {
            if (!d.answered()) {
                throw ex;
            }
            // The claim and the challenge status already hold the answer; losing the audit line must not
            // lose the response.
            LOGGER.error("audit record of the answered challenge for {} not written: {}", d.mailbox(), ex.toString());
        }
        report.report(d, auditId);
        return d;
    }

    private static void add(List<ReasonCode> codes, List<String> reasons, ReasonCode code, String reason) {
        if (!codes.contains(code)) {
            codes.add(code);
        }
        reasons.add(code.code() + ": " + reason);
    }

    private static String reason(List<String> reasons) {
        return RecordLimits.shorten(String.join("; ", reasons), MAX_REASON);
    }

    /** Options; store, inspector and signing keys are required. */
    public static final class Builder {
        private AcmeSmimeStore store;
        private AcmeMailInspector inspector;
        private DkimKeyDirectory keys;
        private RateLimits rateLimits = RateLimits.DEFAULT;
        private Clock clock = Clock.systemUTC();
        private PluginMetrics metrics = PluginMetrics.NONE;

        private Builder() {
        }

        /** Where decisions are counted ({@link DecisionReport}); default none. */
        public Builder metrics(PluginMetrics metrics) {
            this.metrics = Objects.requireNonNull(metrics, "metrics");
            return this;
        }

        public Builder store(AcmeSmimeStore store) {
            this.store = Objects.requireNonNull(store, "store");
            return this;
        }

        /** The inspector, with the authenticity verifier and leniencies to apply (without a verifier nothing is answered). */
        public Builder inspector(AcmeMailInspector inspector) {
            this.inspector = Objects.requireNonNull(inspector, "inspector");
            return this;
        }

        public Builder signingKeys(DkimKeyDirectory keys) {
            this.keys = Objects.requireNonNull(keys, "keys");
            return this;
        }

        /** Default {@link RateLimits#DEFAULT}. */
        public Builder rateLimits(RateLimits limits) {
            this.rateLimits = Objects.requireNonNull(limits, "limits");
            return this;
        }

        /** The clock for expiry, rate limits and the response's Date (default system UTC). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        public ChallengeResponder build() {
            if (store == null || inspector == null || keys == null) {
                throw new IllegalStateException("store, inspector and signingKeys are required");
            }
            return new ChallengeResponder(this);
        }
    }
}
