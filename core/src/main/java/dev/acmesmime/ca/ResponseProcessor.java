package dev.acmesmime.ca;

import dev.acmesmime.ca.forward.CorrelationKey;
import dev.acmesmime.ca.forward.DeliveryWorker;
import dev.acmesmime.ca.forward.DkimEvidence;
import dev.acmesmime.ca.forward.ForwardContract;
import dev.acmesmime.ca.forward.ForwardPayloads;
import dev.acmesmime.ca.forward.ForwardTarget;
import dev.acmesmime.ca.forward.ValidatedResponse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.acmesmime.dkim.DkimPolicyVerifier;
import dev.acmesmime.dkim.SignatureResult;
import dev.acmesmime.rfc8823.AcmeMailInspector;
import dev.acmesmime.rfc8823.AuthenticityVerifier;
import dev.acmesmime.rfc8823.Check;
import dev.acmesmime.rfc8823.Expectations;
import dev.acmesmime.rfc8823.ExtractedValues;
import dev.acmesmime.rfc8823.FailureCode;
import dev.acmesmime.rfc8823.Leniency;
import dev.acmesmime.rfc8823.MessageKind;
import dev.acmesmime.rfc8823.Verdict;
import dev.acmesmime.store.AuditRecord;
import dev.acmesmime.store.AuditStore;
import dev.acmesmime.store.EvidenceStore;
import dev.acmesmime.store.IssuedChallenge;
import dev.acmesmime.store.IssuedChallengeStore;
import dev.acmesmime.store.OutboxItem;
import dev.acmesmime.store.OutboxStore;

/**
 * The CA side of RFC 8823 §3.2 in front of the ACME server: validates a response mail strictly,
 * correlates it with the challenge the CA sent, enforces validity and single use, queues the result
 * for the ACME server, and writes the evidence record. James-free; the mailet
 * {@code AcmeResponseForwarder} is a thin adapter.
 *
 * <h2>Steps (checklist §6.2)</h2>
 * <ol>
 * <li><b>Correlate</b> by the three keys ({@link CorrelationKey}): the challenge is found by
 *     token-part1 from the Subject (exact match, R2); In-Reply-To/References and the recipient's
 *     sub-address tag are compared with it and recorded. No match: {@link Disposition#UNCORRELATED}.</li>
 * <li><b>Freshness</b> (B7): received at or after the challenge's creation plus the validity
 *     (at most 24 h): {@link Disposition#EXPIRED}.</li>
 * <li><b>Validate</b> with {@link AcmeMailInspector#inspectResponse} and {@link DkimPolicyVerifier}
 *     (D7 {@code h=} list, {@code d=} exactly the From domain, no {@code l=}, no rsa-sha1, key ≥ 1024
 *     bits; no {@code List-*}; From = identifier; To = the challenge's response address; a well-formed
 *     block). Any failure: {@link Disposition#REJECTED}, recorded and dropped, never forwarded;
 *     only a DKIM temperror: {@link Disposition#TEMPORARY}.</li>
 * <li><b>Single use</b> (B6, S0f): the first authentic response consumes the challenge; the same
 *     response again is a {@link Disposition#DUPLICATE} (nothing new sent), another one
 *     {@link Disposition#ALREADY_USED}.</li>
 * <li><b>Forward</b>: the {@link ValidatedResponse} goes into the outbox under the configured
 *     {@link ForwardContract}; {@link DeliveryWorker} sends it.</li>
 * </ol>
 * Every mail ends with one evidence record ({@link EvidenceStore}, kind {@value #EVIDENCE_KIND}) and
 * one audit record (event {@code response-<disposition>}); the digest itself is compared by the ACME
 * server, which alone knows token-part2 and the account key.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8823#section-3.2">RFC 8823 §3.2</a>
 */
public final class ResponseProcessor {
    public static final String EVIDENCE_KIND = "response";
    /** Longest validity S/MIME BR 3.2.2.4 allows (B7). */
    public static final Duration MAX_VALIDITY = Duration.ofHours(24);

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern MSG_ID = Pattern.compile("<[^<>\\s]+>");

    private final IssuedChallengeStore challenges;
    private final OutboxStore outbox;
    private final AuditStore audit;
    private final EvidenceStore evidence;
    private final DkimPolicyVerifier dkim;
    private final ForwardContract contract;
    private final String destination;
    private final Set<Leniency> leniencies;
    private final Duration validity;
    private final Clock clock;
    private final AcmeMailInspector reader;
    private final Runnable onEnqueued;
    private final dev.acmesmime.store.Transactions tx;

    private ResponseProcessor(Builder b) {
        this.challenges = b.challenges;
        this.outbox = b.outbox;
        this.audit = b.audit;
        this.evidence = b.evidence;
        this.dkim = b.dkim;
        this.contract = b.contract;
        this.destination = b.destination;
        this.leniencies = b.leniencies.isEmpty() ? EnumSet.noneOf(Leniency.class) : EnumSet.copyOf(b.leniencies);
        this.validity = b.validity;
        this.clock = b.clock;
        this.onEnqueued = b.onEnqueued;
        this.tx = b.tx;
        // Reads Subject, In-Reply-To and the block without touching DNS, to find the challenge first.
        this.reader = inspector((raw, kind, from) -> List.of(Check.fail(FailureCode.DKIM_NONE, "not verified yet")));
    }

    public static Builder builder() {
        return new Builder();
    }

    private AcmeMailInspector inspector(AuthenticityVerifier authenticity) {
        AcmeMailInspector.Builder ib = AcmeMailInspector.builder().authenticity(authenticity).clock(clock);
        leniencies.forEach(ib::leniency);
        return ib.build();
    }

    /** Handles one response mail; never throws for bad mail (only for store I/O). */
    public ProcessingResult process(InboundResponse in) {
        Instant now = clock.instant();
        String validationId = UUID.randomUUID().toString();
        byte[] raw = in.raw();
        Verdict first = reader.inspectResponse(raw, Expectations.NONE);
        ExtractedValues v = first.values();
        Evidence ev = new Evidence(in, validationId, now, v);
        if (first.has(FailureCode.MALFORMED) || first.has(FailureCode.NOT_ACME) || v.tokenPart1() == null) {
            ev.checks = first.checks();
            return finish(ev, Disposition.REJECTED, codes(first), null, null);
        }

        // 1. correlation
        Set<String> referenced = messageIds(v.inReplyTo(), v.references());
        Set<String> tags = tags(in.recipients());
        ev.referenced = referenced;
        ev.tags = tags;
        IssuedChallenge challenge = null;
        Set<CorrelationKey> agreed = EnumSet.noneOf(CorrelationKey.class);
        for (IssuedChallenge c : challenges.findByToken(v.tokenPart1())) {
            Set<CorrelationKey> keys = EnumSet.of(CorrelationKey.SUBJECT_TOKEN);
            if (referenced.contains(c.messageId())) {
                keys.add(CorrelationKey.IN_REPLY_TO);
            }
            if (c.tag().isPresent() && tags.contains(c.tag().get())) {
                keys.add(CorrelationKey.SUB_ADDRESS);
            }
            if (challenge == null || keys.size() > agreed.size()) {
                challenge = c;
                agreed = keys;
            }
        }
        ev.challenge = challenge;
        ev.agreed = agreed;
        if (challenge == null) {
            ev.checks = first.checks().stream().filter(c -> c.code() != FailureCode.DKIM_NONE).toList();
            return finish(ev, Disposition.UNCORRELATED, List.of(), null, null);
        }

        // 2. freshness (B7)
        Instant end = earliest(challenge.expiresAt(), challenge.createdAt().plus(validity));
        if (!now.isBefore(end)) {
            ev.checks = first.checks().stream().filter(c -> c.code() != FailureCode.DKIM_NONE).toList();
            return finish(ev, Disposition.EXPIRED, List.of(), null, null);
        }

        // 3. full validation, DKIM included
        List<SignatureResult> signatures = new ArrayList<>();
        AuthenticityVerifier capture = (r, kind, from) -> {
            List<SignatureResult> results = dkim.evaluate(r, kind, from);
            signatures.addAll(results);
            if (results.isEmpty()) {
                return List.of(Check.fail(FailureCode.DKIM_NONE,
                        "no DKIM-Signature header field (Authentication-Results fields are not trusted)"));
            }
            return DkimPolicyVerifier.best(results).checks();
        };
        Verdict verdict = inspector(capture).inspectResponse(raw,
                Expectations.builder().expectedFrom(challenge.identifier()).expectedTo(challenge.responseAddress()).build());
        ev.checks = verdict.checks();
        ev.signatures = signatures;
        ev.values = verdict.values();
        if (!verdict.valid()) {
            Disposition d = verdict.retryable() ? Disposition.TEMPORARY : Disposition.REJECTED;
            return finish(ev, d, codes(verdict), null, null);
        }
        SignatureResult used = signatures.stream().filter(SignatureResult::acceptable).findFirst().orElse(null);
        if (used == null) {
            // valid() needs a passing dkim-invalid check, which only an acceptable signature gives
            throw new IllegalStateException("valid verdict without an acceptable DKIM signature");
        }

        // 4. single use, queueing and the records in one transaction: a crash leaves all or nothing
        ExtractedValues fv = verdict.values();
        IssuedChallenge found = challenge;
        Set<CorrelationKey> keys = agreed;
        ProcessingResult result = tx.inTransaction(() -> useOnce(ev, found, fv, keys, used, verdict, in, end, now,
                validationId));
        if (result.outboxId().isPresent()) {
            onEnqueued.run();
        }
        return result;
    }

    private ProcessingResult useOnce(Evidence ev, IssuedChallenge challenge, ExtractedValues fv,
                                     Set<CorrelationKey> agreed, SignatureResult used, Verdict verdict,
                                     InboundResponse in, Instant end, Instant now, String validationId) {
        IssuedChallengeStore.Consumption consumption = challenges.consume(challenge.messageId(), fv.digest(), validationId);
        switch (consumption) {
            case FIRST -> {
                ValidatedResponse r = validated(validationId, now, challenge, fv, agreed, used, verdict, in, end);
                OutboxItem item = outbox.enqueue(destination, ForwardPayloads.envelope(contract, r).toBytes());
                challenges.attachOutbox(challenge.messageId(), item.id());
                return finish(ev, Disposition.FORWARDED, List.of(), item.id(), null);
            }
            case DUPLICATE -> {
                IssuedChallenge c = challenges.find(challenge.messageId()).orElseThrow();
                Long repaired = null;
                if (c.outboxId().isEmpty() && c.validationId().isPresent()) {
                    // the first handling stopped between consuming and queueing (a crash): queue
                    // it now, under the first validation's id so the receiver sees one result
                    ValidatedResponse r = validated(c.validationId().get(), now, challenge, fv, agreed, used, verdict,
                            in, end);
                    OutboxItem item = outbox.enqueue(destination, ForwardPayloads.envelope(contract, r).toBytes());
                    if (challenges.attachOutbox(challenge.messageId(), item.id())) {
                        repaired = item.id();
                    }
                }
                return finish(ev, Disposition.DUPLICATE, List.of(), repaired, c.validationId().orElse(null));
            }
            case ALREADY_USED -> {
                return finish(ev, Disposition.ALREADY_USED, List.of(), null, null);
            }
            default -> {
                return finish(ev, Disposition.UNCORRELATED, List.of(), null, null);
            }
        }
    }

    private static Instant earliest(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    private static ValidatedResponse validated(String id, Instant now, IssuedChallenge c, ExtractedValues v,
                                               Set<CorrelationKey> agreed, SignatureResult used, Verdict verdict,
                                               InboundResponse in, Instant end) {
        return new ValidatedResponse(id, now, c.identifier(), v.from(), c.tokenPart1(), v.digest(),
                Optional.ofNullable(v.messageId()), Optional.ofNullable(v.inReplyTo()), c.messageId(), c.createdAt(),
                end, agreed, DkimEvidence.of(used), verdict.checks(), in.envelopeFrom(), in.remoteAddress(), in.raw());
    }

    /** Message-IDs named by In-Reply-To and References; a bare id without brackets counts too (acmez). */
    static Set<String> messageIds(String inReplyTo, String references) {
        Set<String> ids = new LinkedHashSet<>();
        for (String field : new String[] {inReplyTo, references}) {
            if (field == null || field.isBlank()) {
                continue;
            }
            Matcher m = MSG_ID.matcher(field);
            boolean any = false;
            while (m.find()) {
                ids.add(m.group());
                any = true;
            }
            if (!any && !field.trim().contains(" ")) {
                ids.add("<" + field.trim() + ">");
            }
        }
        return ids;
    }

    /** Sub-address tags of the recipients: {@code acme+<tag>@ca.example} gives {@code <tag>}. */
    static Set<String> tags(List<String> recipients) {
        Set<String> tags = new LinkedHashSet<>();
        for (String r : recipients) {
            int at = r.lastIndexOf('@');
            String local = at < 0 ? r : r.substring(0, at);
            int plus = local.indexOf('+');
            if (plus >= 0 && plus < local.length() - 1) {
                tags.add(local.substring(plus + 1));
            }
        }
        return tags;
    }

    /** The sub-address tag of one address, or {@code null}. */
    public static String tagOf(String address) {
        Set<String> t = tags(List.of(address));
        return t.isEmpty() ? null : t.iterator().next();
    }

    /** What the evidence record of one mail collects while it is processed. */
    private static final class Evidence {
        final InboundResponse in;
        final String validationId;
        final Instant receivedAt;
        ExtractedValues values;
        List<Check> checks = List.of();
        List<SignatureResult> signatures = List.of();
        Set<String> referenced = Set.of();
        Set<String> tags = Set.of();
        IssuedChallenge challenge;
        Set<CorrelationKey> agreed = Set.of();

        Evidence(InboundResponse in, String validationId, Instant receivedAt, ExtractedValues values) {
            this.in = in;
            this.validationId = validationId;
            this.receivedAt = receivedAt;
            this.values = values;
        }
    }

    private ProcessingResult finish(Evidence ev, Disposition d, List<String> failureCodes, Long outboxId,
                                    String firstValidationId) {
        return tx.inTransaction(() -> record(ev, d, failureCodes, outboxId, firstValidationId));
    }

    private ProcessingResult record(Evidence ev, Disposition d, List<String> failureCodes, Long outboxId,
                                    String firstValidationId) {
        String outcome = d == Disposition.REJECTED && !failureCodes.isEmpty() ? primary(failureCodes) : d.code();
        ExtractedValues v = ev.values;
        String address = ev.challenge != null ? ev.challenge.identifier() : v.from();
        String token = v.tokenPart1();
        byte[] json = evidenceJson(ev, d, outcome, failureCodes, outboxId, firstValidationId);
        long evidenceId = evidence.append(EVIDENCE_KIND, address, token, v.messageId(), outcome, json).id();
        StringBuilder detail = new StringBuilder("evidence ").append(evidenceId).append(", validation ")
                .append(ev.validationId);
        if (ev.challenge != null) {
            detail.append(", challenge ").append(ev.challenge.messageId()).append(", keys ")
                    .append(ev.agreed.stream().map(CorrelationKey::code).toList());
        }
        if (!failureCodes.isEmpty()) {
            detail.append(", failures ").append(failureCodes);
        }
        if (outboxId != null) {
            detail.append(", outbox ").append(outboxId);
        }
        detail.append(", from SMTP peer ").append(ev.in.remoteAddress()).append(" method ").append(ValidatedResponse.METHOD);
        audit.append(AuditRecord.entry(d.auditEvent()).address(address).token(token)
                .messageId(v.messageId()).outcome(outcome).detail(detail.toString()));
        return new ProcessingResult(d, outcome, failureCodes,
                Optional.ofNullable(ev.challenge).map(IssuedChallenge::messageId), evidenceId,
                Optional.ofNullable(outboxId));
    }

    /**
     * The code the audit record leads with: the first authenticity failure if any, since a mail
     * that is not authentic says nothing else worth trusting; otherwise the first failure.
     */
    static String primary(List<String> failureCodes) {
        return failureCodes.stream().filter(c -> FailureCode.fromCode(c).map(FailureCode::isAuthenticity).orElse(false))
                .findFirst().orElse(failureCodes.get(0));
    }

    private static List<String> codes(Verdict v) {
        return v.failureCodes().stream().map(FailureCode::code).toList();
    }

    private byte[] evidenceJson(Evidence ev, Disposition d, String outcome, List<String> failureCodes, Long outboxId,
                                String firstValidationId) {
        ObjectNode n = JSON.createObjectNode();
        n.put("kind", EVIDENCE_KIND);
        n.put("method", ValidatedResponse.METHOD);
        n.put("validationId", ev.validationId);
        if (firstValidationId != null) {
            n.put("firstValidationId", firstValidationId);
        }
        n.put("receivedAt", ev.receivedAt.toString());
        n.put("disposition", d.code());
        n.put("outcome", outcome);
        n.put("contract", contract.option());
        ArrayNode fc = n.putArray("failureCodes");
        failureCodes.forEach(fc::add);
        ObjectNode smtp = n.putObject("smtp");
        smtp.put("remoteAddress", ev.in.remoteAddress());
        smtp.put("remoteHost", ev.in.remoteHost());
        smtp.put("envelopeFrom", ev.in.envelopeFrom());
        ArrayNode rcpt = smtp.putArray("recipients");
        ev.in.recipients().forEach(rcpt::add);
        ObjectNode values = n.putObject("values");
        Map<String, String> vs = new LinkedHashMap<>();
        ExtractedValues v = ev.values;
        vs.put("tokenPart1", v.tokenPart1());
        vs.put("from", v.from());
        vs.put("to", v.to());
        vs.put("messageId", v.messageId());
        vs.put("inReplyTo", v.inReplyTo());
        vs.put("references", v.references());
        vs.put("digest", v.digest());
        vs.forEach((k, val) -> {
            if (val != null) {
                values.put(k, val);
            }
        });
        ObjectNode corr = n.putObject("correlation");
        ArrayNode refs = corr.putArray("referencedMessageIds");
        ev.referenced.forEach(refs::add);
        ArrayNode tags = corr.putArray("recipientTags");
        ev.tags.forEach(tags::add);
        ArrayNode keys = corr.putArray("keysAgreed");
        ev.agreed.stream().sorted().forEach(k -> keys.add(k.code()));
        if (ev.challenge != null) {
            ObjectNode c = n.putObject("challenge");
            c.put("messageId", ev.challenge.messageId());
            c.put("identifier", ev.challenge.identifier());
            c.put("responseAddress", ev.challenge.responseAddress());
            ev.challenge.tag().ifPresent(t -> c.put("tag", t));
            c.put("createdAt", ev.challenge.createdAt().toString());
            c.put("expiresAt", ev.challenge.expiresAt().toString());
            c.put("validity", validity.toString());
        }
        ArrayNode sigs = n.putArray("dkim");
        for (SignatureResult s : ev.signatures) {
            ObjectNode o = sigs.addObject();
            o.put("domain", s.domain());
            o.put("selector", s.selector());
            o.put("algorithm", s.algorithm());
            o.put("keyBits", s.keyBits());
            ArrayNode h = o.putArray("signedFields");
            s.signedFields().forEach(h::add);
            o.put("acceptable", s.acceptable());
            checks(o.putArray("checks"), s.checks());
        }
        checks(n.putArray("checks"), ev.checks);
        if (outboxId != null) {
            n.put("outboxId", outboxId);
        }
        n.put("raw", Base64.getEncoder().encodeToString(ev.in.raw()));
        try {
            return JSON.writeValueAsBytes(n);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void checks(ArrayNode arr, List<Check> checks) {
        for (Check c : checks) {
            ObjectNode o = arr.addObject();
            o.put("code", c.code().code());
            o.put("ok", c.ok());
            o.put("detail", c.detail());
        }
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
        private dev.acmesmime.store.Transactions tx = dev.acmesmime.store.Transactions.NONE;

        private Builder() {
        }

        /** Takes every store from the plugin's state store. */
        public Builder store(dev.acmesmime.store.AcmeSmimeStore store) {
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
            if (validity.isNegative() || validity.isZero() || validity.compareTo(MAX_VALIDITY) > 0) {
                throw new IllegalArgumentException("validity must be more than 0 and at most 24 hours");
            }
            this.validity = validity;
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
