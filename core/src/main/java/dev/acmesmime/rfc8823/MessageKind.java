package dev.acmesmime.rfc8823;

/** What a mail is, as far as RFC 8823 is concerned. */
public enum MessageKind {
    /** A CA's challenge ({@code Subject: ACME: <token-part1>}), RFC 8823 §3.1. */
    CHALLENGE,
    /** A user's response ({@code Subject: Re: ACME: <token-part1>} plus a response block), RFC 8823 §3.2. */
    RESPONSE,
    /** Anything else. */
    OTHER;

    /** Lower-case name used on the wire (CLI JSON, mail headers, attributes). */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
