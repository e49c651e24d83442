package dev.acmesmime.ca;

/**
 * The CA's own reasons to hold a challenge, beside the failure codes of core's challenge checks.
 * The codes are stable: they appear in the held header, the audit outcome and evidence records.
 */
public enum IssueRule {
    /** The envelope must go to exactly the To address (B4): a challenge is for one identifier. */
    RECIPIENTS("recipients"),
    /** Too many challenges to this recipient within the window (abuse control, S/MIME BR 3.2.2.4). */
    RATE_LIMIT_RECIPIENT("rate-limit-recipient"),
    /** Too many challenges to this recipient's domain within the window. */
    RATE_LIMIT_DOMAIN("rate-limit-domain"),
    /** A challenge with this Message-ID was recorded before: responses could not be told apart. */
    DUPLICATE_MESSAGE_ID("duplicate-message-id"),
    /**
     * The challenge has no Message-ID, by which responses are correlated (In-Reply-To). The mail server
     * gives it one before issuing ({@code AcmeChallengeSigner} does), so only a caller that skips that
     * step meets this code.
     */
    MESSAGE_ID("message-id");

    private final String code;

    IssueRule(String code) {
        this.code = code;
    }

    /** Stable kebab-case name. */
    public String code() {
        return code;
    }
}
