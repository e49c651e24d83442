package dev.acmesmime.testca.acme;

import dev.acmesmime.testca.pki.IssuedCertificate;
import java.time.Instant;
import java.util.Optional;

/**
 * A certificate this CA issued, with what the protocol changes about it later: revocation (RFC 8555 §7.6)
 * and a renewal window moved through the management port (RFC 9773).
 *
 * @param id          its URL segment
 * @param accountId   the account that ordered it
 * @param certificate the certificate and chain
 * @param revocation  its revocation reason code (RFC 5280 §5.3.1), when revoked
 * @param window      a renewal window set through the management port, replacing the default
 */
public record IssuedRecord(String id, String accountId, IssuedCertificate certificate, Optional<Integer> revocation,
                           Optional<Window> window) {

    /** An ARI suggested window (RFC 9773 §4.2). */
    public record Window(Instant start, Instant end) {
    }

    public boolean revoked() {
        return revocation.isPresent();
    }

    public IssuedRecord revoke(int reason) {
        return new IssuedRecord(id, accountId, certificate, Optional.of(reason), window);
    }

    public IssuedRecord withWindow(Window w) {
        return new IssuedRecord(id, accountId, certificate, revocation, Optional.of(w));
    }
}
