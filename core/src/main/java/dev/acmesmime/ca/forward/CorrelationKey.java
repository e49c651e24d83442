package dev.acmesmime.ca.forward;

/**
 * The three ways a response names its challenge (issue 6, correlation). Which ones agreed is
 * recorded as evidence and sent to the ACME server.
 */
public enum CorrelationKey {
    /** token-part1 from the response's Subject equals the challenge's (RFC 8823 §3.2, R2). */
    SUBJECT_TOKEN("subject-token"),
    /** In-Reply-To or References names the challenge's Message-ID (R10 of the response shape). */
    IN_REPLY_TO("in-reply-to"),
    /** The recipient's sub-address tag ({@code acme+<tag>@}) equals the challenge sender's. */
    SUB_ADDRESS("sub-address");

    private final String code;

    CorrelationKey(String code) {
        this.code = code;
    }

    /** Stable kebab-case name used in JSON and audit records. */
    public String code() {
        return code;
    }
}
