package dev.acmesmime.rfc8823;

import java.util.List;

/**
 * Decides whether a mail's signature proves its From address: DKIM under the RFC 8823 policy
 * (D2–D16), or for challenges S/MIME (C15, C17, D5).
 * <p>
 * Implementations return checks, never throw for bad mail. At least one check with code
 * {@link FailureCode#DKIM_INVALID} or {@link FailureCode#SMIME_INVALID} must pass for the mail to
 * count as authentic (see {@link Verdict#valid()}).
 */
@FunctionalInterface
public interface AuthenticityVerifier {

    /**
     * @param rawMessage  the message exactly as received
     * @param kind        challenge (D2 header list, DKIM or S/MIME) or response (D7 list, DKIM only)
     * @param fromAddress the single From address already extracted, or {@code null} if there was none
     * @return the authenticity checks
     */
    List<Check> verify(byte[] rawMessage, MessageKind kind, String fromAddress);

    /**
     * The verifier used when none is configured: reports the signature check as not performed,
     * so no verdict can be valid without one.
     */
    AuthenticityVerifier NOT_PERFORMED = (raw, kind, from) -> List.of(
            Check.fail(FailureCode.DKIM_NONE, "signature not verified: no DKIM or S/MIME verifier is configured"));
}
