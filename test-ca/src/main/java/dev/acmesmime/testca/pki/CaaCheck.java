package dev.acmesmime.testca.pki;

import dev.acmesmime.testca.TestCaSettings;
import java.util.Optional;

/**
 * RFC 9495: the CAA {@code issuemail} property of the mailbox's domain must name this CA
 * ({@code caa.identity}) when the domain has any issuemail record. Off unless {@code caa.check=true}.
 */
public final class CaaCheck {
    public CaaCheck(TestCaSettings.Caa settings) {
    }

    /** Empty when issuance for this address is allowed; otherwise the one-line reason (caa problem). */
    public Optional<String> refusal(String emailAddress) {
        throw new UnsupportedOperationException("not yet built");
    }
}
