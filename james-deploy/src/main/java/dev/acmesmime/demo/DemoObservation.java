package dev.acmesmime.demo;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;

/**
 * What both James say about one mailbox at one moment.
 *
 * @param enrolment its row of the organisation's {@code GET /acme-smime/enrolments?domain=org.test} (missing before one)
 * @param decisions the organisation responder's {@code GET /acme-smime/decisions?mailbox=…}
 * @param pending   the organisation's {@code GET /acme-smime/pending-challenges/{mailbox}}
 * @param audit     the CA-role James's {@code GET /acme-smime/audit?address=…}
 */
record DemoObservation(JsonNode enrolment, JsonNode decisions, JsonNode pending, JsonNode audit) {

    private static final Set<String> ORDERED = Set.of("ordered", "challenge-registered", "answered", "posted", "valid",
            "finalizing", "issued");
    private static final Set<String> VALID = Set.of("valid", "finalizing", "issued");
    /** CA audit events that end a challenge without a result for the CA. */
    private static final Set<String> CA_FAILURES = Set.of("challenge-held", "response-uncorrelated", "response-expired",
            "response-rejected", "response-already-used", "forward-failed", "forward-expired");

    static DemoObservation read(DemoHttp org, DemoHttp ca, String mailbox) throws IOException, InterruptedException {
        JsonNode row = null;
        for (JsonNode e : org.json("/acme-smime/enrolments?domain=" + DemoConf.ORG_DOMAIN)) {
            if (mailbox.equals(e.path("mailbox").asText())) {
                row = e;
            }
        }
        return new DemoObservation(row == null ? MissingNode.getInstance() : row,
                org.json("/acme-smime/decisions?mailbox=" + mailbox),
                org.json("/acme-smime/pending-challenges/" + mailbox),
                ca.json("/acme-smime/audit?address=" + mailbox));
    }

    boolean reached(DemoStep step) {
        String s = enrolment.path("step").asText();
        return switch (step) {
            case ORDER_CREATED -> ORDERED.contains(s);
            case CHALLENGE_SENT -> has(audit, "event", "challenge-signed");
            case CHALLENGE_VALIDATED -> has(decisions, "decision", "answered");
            case RESPONSE_SENT -> has(pending, "status", "answered");
            case RESPONSE_VALIDATED -> has(audit, "event", "response-forwarded");
            case RESULT_FORWARDED -> has(audit, "event", "forward-delivered");
            case CHALLENGE_VALID -> VALID.contains(s);
            case CERTIFICATE_ISSUED -> "issued".equals(s);
        };
    }

    /** Whether the enrolment failed for good: the engine gave up, the responder or the CA's James refused. */
    boolean failed() {
        return "failed".equals(enrolment.path("status").asText()) || has(decisions, "decision", "ignored")
                || failureCodes().stream().anyMatch(c -> CA_FAILURES.stream().anyMatch(c::startsWith));
    }

    /** The decision behind a failure or a delay: codes and reasons as both James record them. */
    List<String> failureCodes() {
        List<String> codes = new ArrayList<>();
        if (!enrolment.path("problemType").asText().isEmpty() || !enrolment.path("reason").asText().isEmpty()) {
            codes.add("enrolment " + enrolment.path("step").asText() + ": " + enrolment.path("problemType").asText("")
                    + " " + enrolment.path("reason").asText(""));
        }
        for (JsonNode d : decisions) {
            if ("ignored".equals(d.path("decision").asText())) {
                codes.add("responder ignored the challenge: " + d.path("codes") + " " + d.path("detail").asText(""));
            }
        }
        for (JsonNode a : audit) {
            String event = a.path("event").asText();
            if (CA_FAILURES.contains(event) || "forward-attempt-failed".equals(event)) {
                codes.add(event + ": " + a.path("outcome").asText("") + " " + a.path("detail").asText(""));
            }
        }
        return codes;
    }

    private static boolean has(JsonNode list, String field, String value) {
        for (JsonNode n : list) {
            if (value.equals(n.path(field).asText())) {
                return true;
            }
        }
        return false;
    }
}
