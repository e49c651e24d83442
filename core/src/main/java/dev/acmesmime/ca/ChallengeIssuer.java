package dev.acmesmime.ca;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

import dev.acmesmime.ca.forward.ValidatedResponse;
import dev.acmesmime.dkim.DkimSigner;
import dev.acmesmime.metrics.PluginMetrics;
import dev.acmesmime.rfc8823.AcmeMailInspector;
import dev.acmesmime.rfc8823.AuthenticityVerifier;
import dev.acmesmime.rfc8823.Expectations;
import dev.acmesmime.rfc8823.ExtractedValues;
import dev.acmesmime.rfc8823.FailureCode;
import dev.acmesmime.rfc8823.MessageIds;
import dev.acmesmime.rfc8823.MessageKind;
import dev.acmesmime.rfc8823.Verdict;
import dev.acmesmime.store.AcmeSmimeStore;
import dev.acmesmime.store.AuditEvent;
import dev.acmesmime.store.AuditRecord;
import dev.acmesmime.store.IssuedChallenge;
import dev.acmesmime.store.IssuedChallengeStore;

/**
 * CA role: issues one challenge mail (RFC 8823 §3.1). Checks it against the challenge rules
 * (C4–C14, C21, C23, C24, D14 via {@link AcmeMailInspector}), that it goes to exactly its To
 * address (B4), and the rate limits per recipient and per recipient domain; DKIM-signs it with the
 * D2 + D3 {@code h=} list ({@link DkimSigner}); and records the facts {@link ResponseProcessor}
 * correlates responses with. James-free; the mailet {@code AcmeChallengeSigner} is its adapter.
 * <p>
 * Counting, recording, the evidence record (B15) and the audit record happen in one transaction
 * under a lock on the recipient's domain ({@link IssuedChallengeStore#lockDomain}),
 * so two nodes never both take the last place of a rate limit, and a crash leaves all or nothing.
 * A challenge that breaks a rule is {@linkplain Issuance.Held held}, never signed.
 */
public final class ChallengeIssuer {
    /** The evidence kind of challenge records. */
    public static final String EVIDENCE_KIND = "challenge";
    /** The audit and evidence outcome of a signed challenge. */
    public static final String SIGNED = "signed";

    private final AcmeSmimeStore store;
    private final DkimSigner signer;
    private final Limits limits;
    private final String heldTo;
    private final Clock clock;
    private final AcmeMailInspector inspector;
    private final CaDecisions decisions;

    /**
     * How many challenges may go out, and how long they stay valid.
     *
     * @param validity  the validity recorded with each challenge (at most 24 h, B7)
     * @param recipient challenges allowed per recipient address within {@code window}
     * @param domain    challenges allowed per recipient domain within {@code window}
     * @param window    the rate-limit window
     */
    public record Limits(Duration validity, int recipient, int domain, Duration window) {
        public Limits {
            Objects.requireNonNull(validity, "validity");
            Objects.requireNonNull(window, "window");
        }
    }

    /**
     * Without metrics (tools and tests).
     *
     * @param heldTo where held challenges go, named in the audit record
     */
    public ChallengeIssuer(AcmeSmimeStore store, DkimSigner signer, Limits limits, String heldTo, Clock clock) {
        this(store, signer, limits, heldTo, clock, PluginMetrics.NONE);
    }

    /**
     * @param heldTo  where held challenges go, named in the audit record
     * @param metrics where each decision is counted ({@link CaDecisions})
     */
    public ChallengeIssuer(AcmeSmimeStore store, DkimSigner signer, Limits limits, String heldTo, Clock clock,
                           PluginMetrics metrics) {
        this.decisions = new CaDecisions(metrics);
        this.store = Objects.requireNonNull(store, "store");
        this.signer = Objects.requireNonNull(signer, "signer");
        this.limits = Objects.requireNonNull(limits, "limits");
        this.heldTo = Objects.requireNonNull(heldTo, "heldTo");
        this.clock = Objects.requireNonNull(clock, "clock");
        // The challenge is not signed yet: the header rules run, authenticity is this class's own
        // job (it signs), so the authenticity codes are left out of the hold reasons.
        this.inspector = AcmeMailInspector.builder().authenticity(AuthenticityVerifier.NOT_PERFORMED)
                .clock(clock).build();
    }

    /** Checks, rate-limits, signs and records one challenge; never throws for a bad one. */
    public Issuance sign(OutgoingChallenge mail) {
        Issuance issuance = decide(mail);
        // reported once committed: a rolled-back decision is no decision
        decisions.challenge(issuance);
        return issuance;
    }

    private Issuance decide(OutgoingChallenge mail) {
        Instant now = clock.instant();
        Verdict v = inspector.inspectChallenge(mail.raw(), Expectations.NONE);
        List<FailureCode> failures = v.checks().stream().filter(c -> !c.ok()).map(c -> c.code())
                .filter(c -> !c.isAuthenticity()).distinct().toList();
        String to = v.values().to();
        List<String> rcpt = mail.recipients();
        boolean oneRecipient = to != null && rcpt.size() == 1 && rcpt.get(0).equalsIgnoreCase(to);
        if (!failures.isEmpty() || !oneRecipient) {
            List<IssueRule> rules = oneRecipient ? List.of() : List.of(IssueRule.RECIPIENTS);
            return store.inTransaction(() -> hold(mail, v, new Issuance.Held(failures, rules, 0), mail.raw()));
        }
        return store.inTransaction(() -> issue(mail, v, now));
    }

    private Issuance issue(OutgoingChallenge mail, Verdict v, Instant now) {
        ExtractedValues values = v.values();
        String to = values.to();
        if (values.messageId() == null) {
            return hold(mail, v, new Issuance.Held(List.of(), List.of(IssueRule.MESSAGE_ID), 0), mail.raw());
        }
        List<IssueRule> over = overLimits(to, now);
        if (!over.isEmpty()) {
            return hold(mail, v, new Issuance.Held(List.of(), over, 0), mail.raw());
        }
        byte[] signed;
        try {
            signed = signer.sign(mail.raw(), MessageKind.CHALLENGE);
        } catch (IllegalArgumentException e) {
            // the signer refuses a From it cannot align d= with (D8): no challenge without DKIM
            return hold(mail, v, new Issuance.Held(List.of(FailureCode.FROM), List.of(), 0), mail.raw());
        }
        String responseAddress = values.responseRecipient().orElseThrow();
        IssuedChallenge c = IssuedChallenge.sent(values.messageId(), values.tokenPart1(), to, responseAddress,
                MessageIds.tagOf(responseAddress), now, now.plus(limits.validity()));
        if (!new ChallengeLedger(store.issuedChallenges()).record(c, true).added()) {
            return hold(mail, v, new Issuance.Held(List.of(), List.of(IssueRule.DUPLICATE_MESSAGE_ID), 0),
                    mail.raw());
        }
        byte[] json = ChallengeEvidence.json(new ChallengeEvidence(v, List.of(), mail, signed, c));
        long evidenceId = store.evidence().append(EVIDENCE_KIND, to, c.tokenPart1(), c.messageId(), SIGNED, json).id();
        store.audit().append(AuditRecord.entry(AuditEvent.CHALLENGE_SIGNED).address(to).token(c.tokenPart1())
                .messageId(c.messageId()).outcome(SIGNED).detail("evidence " + evidenceId + ", selector "
                        + signer.selector() + ", expires " + c.expiresAt() + ", method " + ValidatedResponse.METHOD));
        return new Issuance.Issued(signed, c, evidenceId);
    }

    /** The rate limits {@code to} is over; counted under the domain's lock, which the record keeps. */
    private List<IssueRule> overLimits(String to, Instant now) {
        String domain = to.substring(to.lastIndexOf('@') + 1).toLowerCase(Locale.ROOT);
        store.issuedChallenges().lockDomain(domain);
        Instant since = now.minus(limits.window());
        List<IssueRule> over = new ArrayList<>();
        if (store.issuedChallenges().countForIdentifierSince(to, since) >= limits.recipient()) {
            over.add(IssueRule.RATE_LIMIT_RECIPIENT);
        }
        if (store.issuedChallenges().countForDomainSince(domain, since) >= limits.domain()) {
            over.add(IssueRule.RATE_LIMIT_DOMAIN);
        }
        return over;
    }

    private Issuance.Held hold(OutgoingChallenge mail, Verdict v, Issuance.Held reasons, byte[] raw) {
        List<String> codes = reasons.codes();
        ExtractedValues values = v.values();
        byte[] json = ChallengeEvidence.json(new ChallengeEvidence(v, codes, mail, raw, null));
        long evidenceId = store.evidence().append(EVIDENCE_KIND, values.to(), values.tokenPart1(), values.messageId(),
                codes.get(0), json).id();
        store.audit().append(AuditRecord.entry(AuditEvent.CHALLENGE_HELD).address(values.to())
                .token(values.tokenPart1()).messageId(values.messageId()).outcome(codes.get(0))
                .detail("evidence " + evidenceId + ", codes " + codes + ", sent to processor " + heldTo));
        return new Issuance.Held(reasons.failures(), reasons.rules(), evidenceId);
    }
}
