package dev.acmesmime.ca;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

import dev.acmesmime.ca.ResponseCase.Ending;
import dev.acmesmime.ca.ResponseValidation.Validation;
import dev.acmesmime.ca.forward.CorrelationKey;
import dev.acmesmime.ca.forward.DeliveryWorker;
import dev.acmesmime.ca.forward.ForwardContract;
import dev.acmesmime.ca.forward.ForwardTarget;
import dev.acmesmime.ca.forward.ValidatedResponse;
import dev.acmesmime.dkim.DkimPolicyVerifier;
import dev.acmesmime.dkim.SignatureResult;
import dev.acmesmime.metrics.PluginMetrics;
import dev.acmesmime.rfc8823.AcmeMailInspector;
import dev.acmesmime.rfc8823.Check;
import dev.acmesmime.rfc8823.ExtractedValues;
import dev.acmesmime.rfc8823.FailureCode;
import dev.acmesmime.rfc8823.Leniency;
import dev.acmesmime.rfc8823.ResponseReading;
import dev.acmesmime.rfc8823.Verdict;
import dev.acmesmime.store.AcmeSmimeStore;
import dev.acmesmime.store.AuditStore;
import dev.acmesmime.store.EvidenceStore;
import dev.acmesmime.store.IssuedChallenge;
import dev.acmesmime.store.IssuedChallengeStore;
import dev.acmesmime.store.OutboxStore;
import dev.acmesmime.store.Transactions;

/**
 * The CA side of RFC 8823 §3.2 in front of the ACME server: validates a response mail strictly,
 * correlates it with the challenge the CA sent, enforces validity and single use, queues the result
 * for the ACME server, and writes the evidence record. James-free; the mailet
 * {@code AcmeResponseForwarder} is a thin adapter.
 *
 * <h2>Steps (checklist §6.2)</h2>
 * <ol>
 * <li><b>Correlate</b> ({@link Correlation}) by the three keys ({@link CorrelationKey}): the
 *     challenge is found by token-part1 from the Subject (exact match, R2); In-Reply-To/References
 *     and the recipient's sub-address tag are compared with it and recorded. No match:
 *     {@link Disposition#UNCORRELATED}.</li>
 * <li><b>Freshness</b> ({@link Freshness}, B7): received at or after the challenge's creation plus the validity
 *     (at most 24 h): {@link Disposition#EXPIRED}.</li>
 * <li><b>Validate</b> ({@link ResponseValidation}) with {@link AcmeMailInspector} and {@link DkimPolicyVerifier}
 *     (D7 {@code h=} list, {@code d=} exactly the From domain, no {@code l=}, no rsa-sha1, key ≥ 1024
 *     bits; no {@code List-*}; From = identifier; To = the challenge's response address; a well-formed
 *     block). Any failure: {@link Disposition#REJECTED}, recorded and dropped, never forwarded;
 *     only a DKIM temperror: {@link Disposition#TEMPORARY}.</li>
 * <li><b>Single use</b> ({@link SingleUse}, B6, S0f): the first authentic response consumes the challenge; the same
 *     response again is a {@link Disposition#DUPLICATE} (nothing new sent), another one
 *     {@link Disposition#ALREADY_USED}.</li>
 * <li><b>Forward</b>: the {@link ValidatedResponse} goes into the outbox under the configured
 *     {@link ForwardContract}; {@link DeliveryWorker} sends it.</li>
 * </ol>
 * Every mail ends with one evidence record ({@link EvidenceStore}, kind {@value #EVIDENCE_KIND}) and
 * one audit record ({@link ResponseRecords}) (event {@code response-<disposition>}); the digest itself is compared by the ACME
 * server, which alone knows token-part2 and the account key.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8823#section-3.2">RFC 8823 §3.2</a>
 */
public final class ResponseProcessor {
    public static final String EVIDENCE_KIND = "response";
    /** Longest validity S/MIME BR 3.2.2.4 allows (B7). */
    public static final Duration MAX_VALIDITY = Freshness.MAX_VALIDITY;

    private final IssuedChallengeStore challenges;
    private final ResponseValidation validation;
    private final Freshness freshness;
    private final SingleUse singleUse;
    private final ResponseRecords records;
    private final Clock clock;
    private final Runnable onEnqueued;
    private final Transactions tx;
    private final CaDecisions decisions;

    private ResponseProcessor(Builder b) {
        this.challenges = b.challenges;
        this.validation = new ResponseValidation(b.dkim, b.leniencies, b.clock);
        this.freshness = new Freshness(b.validity);
        this.singleUse = new SingleUse(b.challenges, b.outbox, b.contract, b.destination);
        this.records = new ResponseRecords(b.evidence, b.audit, b.contract, b.validity);
        this.clock = b.clock;
        this.onEnqueued = b.onEnqueued;
        this.tx = b.tx;
        this.decisions = new CaDecisions(b.metrics);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Handles one response mail; never throws for bad mail (only for store I/O). */
    public ProcessingResult process(InboundResponse in) {
        ProcessingResult result = decide(in);
        // reported once committed: a rolled-back decision is no decision
        decisions.response(result);
        return result;
    }

    private ProcessingResult decide(InboundResponse in) {
        Instant now = clock.instant();
        String validationId = UUID.randomUUID().toString();
        byte[] raw = in.raw();
        ResponseReading reading = validation.read(raw);
        Verdict first = ResponseValidation.unverified(reading);
        ExtractedValues v = first.values();
        if (first.has(FailureCode.MALFORMED) || first.has(FailureCode.NOT_ACME) || v.tokenPart1() == null) {
            ResponseCase rc = new ResponseCase(in, validationId, now, v, first.checks(), List.of(), Correlation.NONE);
            return finish(rc, Ending.failed(Disposition.REJECTED, first.failureCodes()));
        }
        Correlation correlation = Correlation.find(challenges, v, in.recipients());
        // checks without DKIM are kept for a mail that goes no further: DKIM did not run
        List<Check> unverified = first.checks().stream().filter(c -> c.code() != FailureCode.DKIM_NONE).toList();
        ResponseCase early = new ResponseCase(in, validationId, now, v, unverified, List.of(), correlation);
        if (correlation.challenge().isEmpty()) {
            return finish(early, Ending.of(Disposition.UNCORRELATED));
        }
        IssuedChallenge challenge = correlation.challenge().get();
        if (freshness.expired(challenge, now)) {
            return finish(early, Ending.of(Disposition.EXPIRED));
        }
        Validation checked = validation.validate(reading, raw, v.from(), challenge);
        Verdict verdict = checked.verdict();
        ResponseCase rc = new ResponseCase(in, validationId, now, verdict.values(), verdict.checks(),
                checked.signatures(), correlation);
        if (!verdict.valid()) {
            Disposition d = verdict.retryable() ? Disposition.TEMPORARY : Disposition.REJECTED;
            return finish(rc, Ending.failed(d, verdict.failureCodes()));
        }
        // valid() needs a passing dkim-invalid check, which only an acceptable signature gives
        SignatureResult used = checked.used()
                .orElseThrow(() -> new IllegalStateException("valid verdict without an acceptable DKIM signature"));
        Instant end = freshness.end(challenge);
        ProcessingResult result = tx.inTransaction(() -> records.write(rc, singleUse.use(rc, challenge, used, end)));
        if (result.outboxId().isPresent()) {
            onEnqueued.run();
        }
        return result;
    }

    private ProcessingResult finish(ResponseCase rc, Ending end) {
        return tx.inTransaction(() -> records.write(rc, end));
    }

    public static final class Builder {
        private IssuedChallengeStore challenges;
        private OutboxStore outbox;
        private AuditStore audit;
        private EvidenceStore evidence;
        private DkimPolicyVerifier dkim;
        private ForwardContract contract = ForwardContract.NATIVE;
        private String destination = ForwardTarget.DEFAULT_NAME;
        private final Set<Leniency> leniencies = EnumSet.noneOf(Leniency.class);
        private Duration validity = MAX_VALIDITY;
        private Clock clock = Clock.systemUTC();
        private Runnable onEnqueued = () -> { };
        private Transactions tx = Transactions.NONE;
        private PluginMetrics metrics = PluginMetrics.NONE;

        private Builder() {
        }

        /** Where each disposition is counted ({@link CaDecisions}; default none). */
        public Builder metrics(PluginMetrics metrics) {
            this.metrics = Objects.requireNonNull(metrics, "metrics");
            return this;
        }

        /** Takes every store from the plugin's state store. */
        public Builder store(AcmeSmimeStore store) {
            this.challenges = store.issuedChallenges();
            this.outbox = store.outbox();
            this.audit = store.audit();
            this.evidence = store.evidence();
            this.tx = store;
            return this;
        }

        public Builder dkim(DkimPolicyVerifier dkim) {
            this.dkim = Objects.requireNonNull(dkim, "dkim");
            return this;
        }

        /** The contract the ACME server speaks (default native). */
        public Builder contract(ForwardContract contract) {
            this.contract = Objects.requireNonNull(contract, "contract");
            return this;
        }

        /** The outbox destination name (default {@value ForwardTarget#DEFAULT_NAME}). */
        public Builder destination(String destination) {
            this.destination = Objects.requireNonNull(destination, "destination");
            return this;
        }

        /** A named relaxation of the response rules (see {@link Leniency}). */
        public Builder leniency(Leniency leniency) {
            leniencies.add(Objects.requireNonNull(leniency, "leniency"));
            return this;
        }

        /**
         * How long after its creation a challenge may be answered (default and maximum 24 h,
         * S/MIME BR 3.2.2.4; a CP/CPS may set less).
         */
        public Builder validity(Duration validity) {
            this.validity = new Freshness(validity).validity();
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Called after an item was queued (to wake the {@link DeliveryWorker}). */
        public Builder onEnqueued(Runnable r) {
            this.onEnqueued = Objects.requireNonNull(r, "onEnqueued");
            return this;
        }

        public ResponseProcessor build() {
            Objects.requireNonNull(challenges, "store");
            Objects.requireNonNull(dkim, "dkim");
            return new ResponseProcessor(this);
        }
    }
}
