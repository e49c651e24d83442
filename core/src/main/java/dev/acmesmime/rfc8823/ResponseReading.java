package dev.acmesmime.rfc8823;

import java.util.Objects;

import dev.acmesmime.rfc8823.mime.ParsedMail;

/**
 * A response mail parsed once by {@link AcmeMailInspector#readResponse}: its values are known
 * before any check that needs the challenge (From = identifier, R3; To = response address, R4)
 * or DNS (DKIM, R15) runs. Thread-safe; each {@link #inspect} runs the checks afresh.
 */
public final class ResponseReading {
    private final AcmeMailInspector inspector;
    private final byte[] raw;
    private final ParsedMail mail;
    private final SubjectRule subject;
    private final Verdict unreadable;

    ResponseReading(AcmeMailInspector inspector, byte[] raw, ParsedMail mail, SubjectRule subject, Verdict unreadable) {
        this.inspector = inspector;
        this.raw = raw;
        this.mail = mail;
        this.subject = subject;
        this.unreadable = unreadable;
    }

    /**
     * Runs the response checks (R1–R14, D14) against {@code expectations}, then {@code verifier}
     * for authenticity (R15). A mail that is {@code malformed} or {@code not-acme} gets that
     * verdict whatever is asked.
     */
    public Verdict inspect(Expectations expectations, AuthenticityVerifier verifier) {
        Objects.requireNonNull(expectations, "expectations");
        Objects.requireNonNull(verifier, "verifier");
        if (unreadable != null) {
            return unreadable;
        }
        return inspector.response(raw, mail, subject, expectations, verifier);
    }
}
