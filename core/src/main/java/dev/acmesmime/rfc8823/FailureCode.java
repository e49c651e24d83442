package dev.acmesmime.rfc8823;

import java.util.Arrays;
import java.util.Optional;

/**
 * The stable failure codes of every check the plugin runs on an RFC 8823 mail.
 * <p>
 * A code names what was wrong, never how it is worded: admins grep logs and route mails on it,
 * so a code is <em>never renamed</em>. Each code lists the rule IDs of the rules it enforces, each explained in
 * {@code docs/rules.md}, which carries the same table for admins (a test keeps the two in step).
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8823">RFC 8823</a>
 */
public enum FailureCode implements ReasonCode {
    /** The bytes are not a parseable message, or exceed the documented size and nesting limits. */
    MALFORMED("malformed", "mail-structure", "RFC 5322"),
    /**
     * The mail is neither an RFC 8823 challenge nor a response: no {@code ACME:} label in the Subject and no
     * response block. A mail with the label is judged by the rules of the kind it is read as, so a challenge
     * read as a response ({@code acme-smime inspect --as response}) fails {@code body-format}, not this.
     */
    NOT_ACME("not-acme", "acme-kind", "C4, R1"),
    /** Subject is not {@code ACME: <base64url token-part1>} after RFC 2047/2231 decoding and whitespace removal. */
    SUBJECT_SYNTAX("subject-syntax", "subject-syntax", "C4, C5, C6, R1, R2"),
    /** A challenge Subject carries a reply prefix before {@code ACME:}. */
    REPLY_PREFIX("reply-prefix", "subject-prefix", "C21"),
    /** token-part1 decodes to fewer than 128 bits. */
    TOKEN_TOO_SHORT("token-too-short", "token-length", "C2, C4, B5"),
    /** An encoded word in the Subject uses a charset other than UTF-8 or US-ASCII. */
    CHARSET("charset", "subject-charset", "C7"),
    /** Auto-Submitted is missing, repeated or not {@code auto-generated}. */
    AUTO_SUBMITTED("auto-submitted", "auto-submitted", "C12, C13, C14, C23, C24"),
    /** From is missing or is not exactly one mailbox. */
    FROM("from", "from", "C9, R3, D14"),
    /** To is missing, not exactly one mailbox (challenge), or does not name the expected address. */
    TO("to", "to", "C10, R4, D14"),
    /** A single-instance header field (RFC 5322 §3.6) appears more than once. */
    DUPLICATE_HEADER("duplicate-header", "single-instance-fields", "D14"),
    /** From differs from the expected sender (the challenge object's {@code from}, or the identifier). */
    UNEXPECTED_SENDER("unexpected-sender", "expected-sender", "C9, C20, R3"),
    /** A {@code List-*} header field is present in a response. */
    LIST_HEADER("list-header", "no-list-fields", "R7, S0c"),
    /** No usable text/plain part or no BEGIN/END ACME RESPONSE block outside quoting. */
    BODY_FORMAT("body-format", "body-format", "R8, R9, R12, R13, R14, X11"),
    /** The text between BEGIN and END is not a base64url SHA-256 digest. */
    DIGEST_SYNTAX("digest-syntax", "digest-syntax", "R9, R11, X1"),
    /** The digest does not equal base64url(SHA-256(key authorization)). */
    DIGEST_MISMATCH("digest-mismatch", "digest-match", "R9, §3 step 6"),

    /** No DKIM signature at all (or authenticity was not verified). */
    DKIM_NONE("dkim-none", "dkim-present", "C15, R15"),
    /** A DKIM signature does not verify (bad hash/signature, missing or revoked key). */
    DKIM_INVALID("dkim-invalid", "dkim-signature", "C15, R15, D11"),
    /** DKIM {@code d=} is not exactly the From domain. */
    DKIM_MISALIGNED("dkim-misaligned", "dkim-alignment", "D4, D8, D15"),
    /** DKIM {@code h=} lacks a field of the RFC 8823 list, or lacks From. */
    DKIM_HEADERS("dkim-headers", "dkim-headers", "D2, D7, D10, D11"),
    /** The signature uses rsa-sha1. */
    DKIM_SHA1("dkim-sha1", "dkim-algorithm", "D12"),
    /** The signing RSA key has fewer than 1024 bits. */
    DKIM_WEAK_KEY("dkim-weak-key", "dkim-key-size", "D12"),
    /** The signature has an {@code l=} shorter than the body. */
    DKIM_BODY_LENGTH("dkim-body-length", "dkim-body-length", "D13"),
    /** The DKIM key could not be fetched (timeout, SERVFAIL): retry later, never treat as invalid for good. */
    DKIM_TEMPERROR("dkim-temperror", "dkim-key-lookup", "D16"),
    /** The S/MIME signature does not verify. */
    SMIME_INVALID("smime-invalid", "smime-signature", "C15, C17"),
    /** The S/MIME signer's chain does not lead to a configured trust anchor. */
    SMIME_UNTRUSTED("smime-untrusted", "smime-chain", "C15"),
    /** No rfc822Name SAN of the signer certificate equals the From address. */
    SMIME_SIGNER_MISMATCH("smime-signer-mismatch", "smime-signer", "D5"),
    /** From, To and Subject are not protected by the S/MIME signature, or differ from the outer ones. */
    SMIME_HEADERS_UNPROTECTED("smime-headers-unprotected", "smime-header-protection", "C17, X14");

    private final String code;
    private final String check;
    private final String rules;

    FailureCode(String code, String check, String rules) {
        this.code = code;
        this.check = check;
        this.rules = rules;
    }

    /** The stable kebab-case code, e.g. {@code digest-mismatch}. */
    @Override
    public String code() {
        return code;
    }

    /**
     * The stable name of the check whose failure this code reports, e.g. {@code smime-signature} for
     * {@code smime-invalid}: what a passing check is called, since a check that passed found no failure
     * to name (the CLI prints {@code ok smime-signature: …}, never {@code ok smime-invalid: …}).
     */
    public String check() {
        return check;
    }

    /** Checklist IDs of the rules behind this code, e.g. {@code "C21"}. */
    @Override
    public String rules() {
        return rules;
    }

    /**
     * {@code true} for the codes of the authenticity checks (DKIM, S/MIME: C15, R15). A mail that is not
     * authentic says nothing else worth trusting, so these lead an audit record and are what a
     * challenge signer expects to fail on its own unsigned mail.
     */
    public boolean isAuthenticity() {
        return name().startsWith("DKIM_") || name().startsWith("SMIME_");
    }

    public static Optional<FailureCode> fromCode(String code) {
        return Arrays.stream(values()).filter(c -> c.code.equals(code)).findFirst();
    }

    @Override
    public String toString() {
        return code;
    }
}
