package dev.acmesmime.demo;

/**
 * The steps of one mailbox's RFC 8823 enrolment as the demo shows them, in order. Each is read from
 * where an admin would look: the organisation James's {@code GET /acme-smime/enrolments},
 * {@code /decisions} and {@code /pending-challenges/{mailbox}}, and the CA-role James's
 * {@code GET /acme-smime/audit?address=…} ({@link DemoObservation}).
 */
enum DemoStep {
    ORDER_CREATED("order created", "org.test's James placed an ACME order at the test CA"),
    CHALLENGE_SENT("challenge mail sent", "acme@ca.test -> %s, DKIM-signed by ca.test's James"),
    CHALLENGE_VALIDATED("challenge validated", "org.test's James checked its DKIM signature and sender"),
    RESPONSE_SENT("response sent", "%s -> acme@ca.test, DKIM-signed by org.test's James"),
    RESPONSE_VALIDATED("response validated", "ca.test's James checked its DKIM signature and correlation"),
    RESULT_FORWARDED("result forwarded", "ca.test's James -> test CA, HTTPS + HMAC"),
    CHALLENGE_VALID("challenge valid", "the test CA compared the digest"),
    CERTIFICATE_ISSUED("certificate issued", "org.test's James finalized and stored the chain");

    private final String label;
    private final String detail;

    DemoStep(String label, String detail) {
        this.label = label;
        this.detail = detail;
    }

    /** The words of the progress line, stable: the demo's test looks for them. */
    String label() {
        return label;
    }

    /** What happened, for {@code mailbox}. */
    String detail(String mailbox) {
        return detail.formatted(mailbox);
    }
}
