package dev.acmesmime.metrics;

import dev.acmesmime.rfc8823.ReasonCode;

/**
 * Every metric the plugin records, in James's style {@code acme-smime.<role>.<what>}. A name is a
 * stable contract (dashboards and alerts use it): never rename one. Per-code series append the
 * stable code ({@link #byCode}), so their number is bounded by the code enums.
 * WebAdmin's {@code /metrics} shows them in Prometheus form, {@code .} and {@code -} becoming
 * {@code _}: {@code acme-smime.org.challenges.answered} is printed {@code acme_smime_org_challenges_answered_total}
 * (counters get {@code _total}; timers are summaries in seconds with {@code _count}; gauges keep the name).
 */
public final class MetricNames {
    // organisation role
    /** Counter: challenge decisions taken (one per local recipient of a challenge mail). */
    public static final String ORG_CHALLENGES_SEEN = "acme-smime.org.challenges.seen";
    /** Counter: challenges answered. */
    public static final String ORG_CHALLENGES_ANSWERED = "acme-smime.org.challenges.answered";
    /** Counter: challenges not answered; {@link #byCode} gives one series per leading code. */
    public static final String ORG_CHALLENGES_IGNORED = "acme-smime.org.challenges.ignored";
    /** Timer: from the challenge's arrival in James to its response handed to James's spool. */
    public static final String ORG_RESPONSE_TIME = "acme-smime.org.response.time";
    /** Gauge: registered challenges still waiting for their challenge mail (pending, not expired). */
    public static final String ORG_PENDING_CHALLENGES = "acme-smime.org.pending-challenges";
    /** Counter: mails the challenge lane took (expected challenges at SMTP, and responses) instead of James's spool. */
    public static final String ORG_LANE_TAKEN = "acme-smime.org.lane.taken";
    /** Counter: mails for the challenge lane that went to James's spool because the lane was full. */
    public static final String ORG_LANE_FULL = "acme-smime.org.lane.full";
    /** Gauge: mails in the challenge lane, waiting or being processed. */
    public static final String ORG_LANE_DEPTH = "acme-smime.org.lane.depth";

    // CA role
    /** Counter: challenges signed and sent. */
    public static final String CA_CHALLENGES_SIGNED = "acme-smime.ca.challenges.signed";
    /** Counter: challenges held (not sent); {@link #byCode} per leading code. */
    public static final String CA_CHALLENGES_HELD = "acme-smime.ca.challenges.held";
    /** Counter prefix: responses by disposition ({@code …responses.forwarded}, {@code …responses.rejected} …). */
    public static final String CA_RESPONSES = "acme-smime.ca.responses";
    /** Counter: responses refused for a failed check; {@link #byCode} per leading failure code. */
    public static final String CA_RESPONSES_REFUSED = "acme-smime.ca.responses.refused";
    /** Gauge: results waiting in the outbox (pending or failed). */
    public static final String CA_OUTBOX_DEPTH = "acme-smime.ca.outbox.depth";
    /** Gauge: age in seconds of the oldest result waiting in the outbox, 0 when empty. */
    public static final String CA_OUTBOX_OLDEST_AGE = "acme-smime.ca.outbox.oldest-age-seconds";
    /** Counter: HTTP attempts to the ACME server. */
    public static final String CA_FORWARD_ATTEMPTS = "acme-smime.ca.forward.attempts";
    /** Counter: attempts that failed (will be retried, or ran out). */
    public static final String CA_FORWARD_FAILURES = "acme-smime.ca.forward.failures";
    /** Timer: from the response's arrival over SMTP to the ACME server's answer. */
    public static final String CA_FORWARD_LATENCY = "acme-smime.ca.forward.latency";

    // DKIM
    /** Timer: one DKIM verification under the RFC 8823 policy. */
    public static final String DKIM_VERIFY_TIME = "acme-smime.dkim.verify.time";
    /** Counter prefix: key lookups by result ({@code …key-lookups.found}, {@code .missing}, {@code .temperror}). */
    public static final String DKIM_KEY_LOOKUPS = "acme-smime.dkim.key-lookups";

    // enrolment (issue 15)
    /** Prefix of the enrolment engine's metrics. */
    public static final String ENROLMENT = "acme-smime.enrolment";
    /** Counter: ACME orders placed (first enrolments and renewals). */
    public static final String ENROLMENT_ORDERS = "acme-smime.enrolment.orders";
    /** Counter: challenges POSTed to the CA after the response went out (RFC 8555 §7.5.1). */
    public static final String ENROLMENT_CHALLENGES_POSTED = "acme-smime.enrolment.challenges-posted";
    /** Counter: first certificates stored. */
    public static final String ENROLMENT_ISSUED = "acme-smime.enrolment.issued";
    /** Counter: certificates stored that replace an earlier one. */
    public static final String ENROLMENT_RENEWED = "acme-smime.enrolment.renewed";
    /** Counter: certificates revoked. */
    public static final String ENROLMENT_REVOKED = "acme-smime.enrolment.revoked";
    /** Counter: failed steps; {@link #child} gives one series per failure code ({@code rate-limited} …). */
    public static final String ENROLMENT_FAILURES = "acme-smime.enrolment.failures";
    /** Timer: one turn of the engine on one mailbox (one or more steps, CA calls included). */
    public static final String ENROLMENT_STEP_TIME = "acme-smime.enrolment.step.time";
    /** Gauge: mailboxes with a live order (every step but none, issued and failed). */
    public static final String ENROLMENT_IN_PROGRESS = "acme-smime.enrolment.in-progress";
    /** Gauge: mailboxes whose enrolment failed (retried with back-off). */
    public static final String ENROLMENT_FAILED = "acme-smime.enrolment.failed";

    // S/MIME gateway (issue 16): one counter series per operation and GatewayCode, via byCode
    /** Counter prefix: outgoing mails the signing mailet decided on, {@link #byCode} per code ({@code signed}, {@code policy-off} …). */
    public static final String GATEWAY_SIGN = "acme-smime.gateway.sign";
    /** Counter prefix: outgoing mails (or split copies) the encryption mailet decided on, {@link #byCode} per code. */
    public static final String GATEWAY_ENCRYPT = "acme-smime.gateway.encrypt";
    /** Counter prefix: incoming mails the harvest mailet looked at, {@link #byCode} per code ({@code harvested} …). */
    public static final String GATEWAY_HARVEST = "acme-smime.gateway.harvest";
    /** Counter prefix: incoming mails the decryption mailet decided on, {@link #byCode} per code. */
    public static final String GATEWAY_DECRYPT = "acme-smime.gateway.decrypt";
    // S/MIME gateway (issue 16 §3)
    /** Counter: PKCS#12 exports of a mailbox's key and chain over WebAdmin (G10). */
    public static final String GATEWAY_PKCS12_EXPORTED = "acme-smime.gateway.pkcs12.exported";

    private MetricNames() {
    }

    /** {@code base.code}: one series per stable code. */
    public static String byCode(String base, ReasonCode code) {
        return base + "." + code.code();
    }

    /** {@code base.suffix} for a bounded word (a disposition, a lookup result). */
    public static String child(String base, String suffix) {
        return base + "." + suffix;
    }
}
