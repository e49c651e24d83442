package dev.acmesmime.gateway;

import dev.acmesmime.rfc8823.ReasonCode;

/**
 * What the gateway did with a mail, or why it did nothing: the stable codes of {@link GatewayResult},
 * written into the mail's attribute and header and into the metrics. Never renamed; the rules behind
 * each (G…) are in {@code docs/rules.md}.
 */
public enum GatewayCode implements ReasonCode {
    SIGNED("signed", true, "G1 G4"),
    ENCRYPTED("encrypted", true, "G7"),
    DECRYPTED("decrypted", true, "G9"),
    HARVESTED("harvested", true, "G6"),
    /** The policy for this sender or recipient is {@code off}. */
    POLICY_OFF("policy-off", false, "G8"),
    /** The SMTP-authenticated user is not the From mailbox, or nobody authenticated (G1). */
    SENDER_NOT_AUTHENTICATED("sender-not-authenticated", false, "G1"),
    /** The mail is already signed or encrypted; it is left as it is (G3). */
    ALREADY_PROTECTED("already-protected", false, "G3"),
    /** The mailbox has no issued certificate (or it was revoked). */
    NO_CERTIFICATE("no-certificate", false, "G2"),
    CERTIFICATE_EXPIRED("certificate-expired", false, "G2"),
    CERTIFICATE_NOT_YET_VALID("certificate-not-yet-valid", false, "G2"),
    /** The stored key is not the certificate's key (G2). */
    KEY_MISMATCH("key-mismatch", false, "G2"),
    /** A recipient has no known valid certificate. */
    NO_RECIPIENT_CERTIFICATE("no-recipient-certificate", false, "G7 G8"),
    /** The mail is not signed (harvest) or not encrypted (decrypt): nothing to do. */
    NOT_PROTECTED("not-protected", false, "G6 G9"),
    /** The signature does not verify. */
    SIGNATURE_INVALID("signature-invalid", false, "G6"),
    /** The signer's certificate does not chain to a trust anchor at this time. */
    UNTRUSTED("untrusted", false, "G6"),
    /** The signer's certificate has no rfc822Name equal to From. */
    ADDRESS_MISMATCH("address-mismatch", false, "G6"),
    /** The mail is encrypted, but not to this mailbox's certificate. */
    NOT_FOR_US("not-for-us", false, "G9"),
    /** Decryption failed (damaged or tampered content). */
    DECRYPT_FAILED("decrypt-failed", false, "G9"),
    /** The mail cannot be read as MIME well enough to act on it. */
    MALFORMED("malformed", false, "G3");

    private final String code;
    private final boolean done;
    private final String rules;

    GatewayCode(String code, boolean done, String rules) {
        this.code = code;
        this.done = done;
        this.rules = rules;
    }

    @Override
    public String rules() {
        return rules;
    }

    @Override
    public String code() {
        return code;
    }

    /** Whether the mail was changed (or a certificate learnt); otherwise it passes unchanged. */
    public boolean done() {
        return done;
    }

    @Override
    public String toString() {
        return code;
    }
}
