package dev.acmesmime.ca;

import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.acmesmime.ca.ResponseCase.Ending;
import dev.acmesmime.ca.forward.CorrelationKey;
import dev.acmesmime.ca.forward.ForwardContract;
import dev.acmesmime.ca.forward.ValidatedResponse;
import dev.acmesmime.json.RecordJson;
import dev.acmesmime.rfc8823.ExtractedValues;
import dev.acmesmime.rfc8823.FailureCode;
import dev.acmesmime.store.AuditRecord;
import dev.acmesmime.store.AuditStore;
import dev.acmesmime.store.EvidenceStore;
import dev.acmesmime.store.IssuedChallenge;

/**
 * Writes the two records every response mail ends with: one evidence record (B15–B18, kind
 * {@value ResponseProcessor#EVIDENCE_KIND}) with the mail, its envelope, the checks, DKIM details
 * and the correlation, and one audit record (event {@code response-<disposition>}).
 */
final class ResponseRecords {
    private final EvidenceStore evidence;
    private final AuditStore audit;
    private final ForwardContract contract;
    private final Duration validity;

    ResponseRecords(EvidenceStore evidence, AuditStore audit, ForwardContract contract, Duration validity) {
        this.evidence = Objects.requireNonNull(evidence, "evidence");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.contract = contract;
        this.validity = validity;
    }

    ProcessingResult write(ResponseCase rc, Ending end) {
        String outcome = end.outcome();
        ExtractedValues v = rc.values();
        Optional<IssuedChallenge> challenge = rc.correlation().challenge();
        String address = challenge.map(IssuedChallenge::identifier).orElse(v.from());
        long evidenceId = evidence.append(ResponseProcessor.EVIDENCE_KIND, address, v.tokenPart1(), v.messageId(),
                outcome, json(rc, end)).id();
        audit.append(AuditRecord.entry(end.disposition().auditEvent()).address(address).token(v.tokenPart1())
                .messageId(v.messageId()).outcome(outcome).detail(detail(rc, end, evidenceId)));
        return new ProcessingResult(end.disposition(), outcome, end.failures(),
                challenge.map(IssuedChallenge::messageId), evidenceId, end.outboxId());
    }

    private static String detail(ResponseCase rc, Ending end, long evidenceId) {
        StringBuilder detail = new StringBuilder("evidence ").append(evidenceId).append(", validation ")
                .append(rc.validationId());
        rc.correlation().challenge().ifPresent(c -> detail.append(", challenge ").append(c.messageId())
                .append(", keys ").append(rc.correlation().keys().stream().map(CorrelationKey::code).toList()));
        if (!end.failures().isEmpty()) {
            detail.append(", failures ").append(end.failures().stream().map(FailureCode::code).toList());
        }
        end.outboxId().ifPresent(id -> detail.append(", outbox ").append(id));
        return detail.append(", from SMTP peer ").append(rc.in().remoteAddress()).append(" method ")
                .append(ValidatedResponse.METHOD).toString();
    }

    private byte[] json(ResponseCase rc, Ending end) {
        ObjectNode n = RecordJson.object();
        n.put("kind", ResponseProcessor.EVIDENCE_KIND);
        n.put("method", ValidatedResponse.METHOD);
        n.put("validationId", rc.validationId());
        end.firstValidationId().ifPresent(id -> n.put("firstValidationId", id));
        n.put("receivedAt", rc.receivedAt().toString());
        n.put("disposition", end.disposition().code());
        n.put("outcome", end.outcome());
        n.put("contract", contract.option());
        ArrayNode fc = n.putArray("failureCodes");
        end.failures().forEach(c -> fc.add(c.code()));
        smtp(n.putObject("smtp"), rc.in());
        values(n.putObject("values"), rc.values());
        correlation(n.putObject("correlation"), rc.correlation());
        rc.correlation().challenge().ifPresent(c -> {
            ObjectNode o = n.putObject("challenge");
            RecordJson.challengeFacts(o, c);
            o.put("validity", validity.toString());
        });
        ArrayNode sigs = n.putArray("dkim");
        rc.signatures().forEach(s -> RecordJson.signature(sigs.addObject(), s));
        RecordJson.checks(n.putArray("checks"), rc.checks());
        end.outboxId().ifPresent(id -> n.put("outboxId", id));
        n.put("raw", Base64.getEncoder().encodeToString(rc.in().raw()));
        return RecordJson.bytes(n);
    }

    private static void smtp(ObjectNode smtp, InboundResponse in) {
        smtp.put("remoteAddress", in.remoteAddress());
        smtp.put("remoteHost", in.remoteHost());
        smtp.put("envelopeFrom", in.envelopeFrom());
        ArrayNode rcpt = smtp.putArray("recipients");
        in.recipients().forEach(rcpt::add);
    }

    /** The values read, absent ones left out. */
    private static void values(ObjectNode values, ExtractedValues v) {
        Map<String, String> vs = new LinkedHashMap<>();
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
    }

    private static void correlation(ObjectNode corr, Correlation c) {
        ArrayNode refs = corr.putArray("referencedMessageIds");
        c.referenced().forEach(refs::add);
        ArrayNode tags = corr.putArray("recipientTags");
        c.tags().forEach(tags::add);
        ArrayNode keys = corr.putArray("keysAgreed");
        c.keys().stream().sorted().forEach(k -> keys.add(k.code()));
    }
}
