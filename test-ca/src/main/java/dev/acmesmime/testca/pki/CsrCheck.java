package dev.acmesmime.testca.pki;

import java.security.PublicKey;
import java.util.Optional;
import java.util.Set;

/**
 * A finalize CSR, judged. When {@link #ok()} is false, {@link #problem()} is the one-line reason the
 * test CA returns in its {@code badCSR} problem document.
 *
 * @param ok        every check passed
 * @param problem   why not, when not
 * @param addresses the rfc822Name SANs (lower-cased domain part)
 * @param publicKey the CSR's key, when the CSR could be parsed
 * @param keyUsage  the KeyUsage bits the CSR asks for (RFC 8823 §3.3), as BouncyCastle's
 *                  {@code KeyUsage} constants (digitalSignature = 128), or 0 when it asks none
 * @param der       the CSR as received
 */
public record CsrCheck(boolean ok, Optional<String> problem, Set<String> addresses, Optional<PublicKey> publicKey,
                       int keyUsage, byte[] der) {

    /** A refusal with its one-line reason; nothing of the CSR is kept but its bytes. */
    public static CsrCheck refused(String problem, byte[] der) {
        return new CsrCheck(false, Optional.of(problem), Set.of(), Optional.empty(), 0, der);
    }
}
