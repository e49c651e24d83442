package dev.acmesmime.testca.pki;

import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * A certificate the test CA issued.
 *
 * @param serial    its serial number
 * @param chain     leaf first, then the intermediate
 * @param pemChain  the chain as {@code application/pem-certificate-chain} (RFC 8555 §7.4.2)
 * @param ariCertId its RFC 9773 §4.1 CertID: base64url(AKI keyIdentifier) "." base64url(serial DER)
 */
public record IssuedCertificate(BigInteger serial, List<X509Certificate> chain, String pemChain, String ariCertId) {
    public X509Certificate leaf() {
        return chain.get(0);
    }
}
