package dev.acmesmime.testca.pki;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * The test CA's keys and certificates: a root, an intermediate signed by it, and the end-entity S/MIME
 * certificates the intermediate issues (S/MIME BR mailbox-validated strict profile). Generated at start,
 * held in memory only.
 */
public final class CertificateAuthority {

    /** A fresh root and intermediate. */
    public static CertificateAuthority generate(Clock clock) {
        throw new UnsupportedOperationException("not yet built");
    }

    public X509Certificate root() {
        throw new UnsupportedOperationException("not yet built");
    }

    public X509Certificate intermediate() {
        throw new UnsupportedOperationException("not yet built");
    }

    /** RFC 8555 §7.4 finalize: the CSR's checks (signature, R16 SANs = the order's addresses, key). */
    public CsrCheck checkCsr(byte[] csrDer, Set<String> orderAddresses) {
        throw new UnsupportedOperationException("not yet built");
    }

    /** Issues from a CSR that {@link #checkCsr} accepted; the chain is leaf, intermediate (not the root). */
    public IssuedCertificate issue(CsrCheck accepted, Duration lifetime) {
        throw new UnsupportedOperationException("not yet built");
    }

    /** A TLS server identity for the ACME port, issued by the root, for the given DNS names / IPs. */
    public TlsIdentity tlsIdentity(List<String> hosts) {
        throw new UnsupportedOperationException("not yet built");
    }
}
