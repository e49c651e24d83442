package dev.acmesmime.enrolment;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import org.shredzone.acme4j.toolbox.AcmeUtils;

/**
 * A downloaded chain and the facts the store keeps of its leaf: serial, validity, and the ARI certificate
 * id (RFC 9773 §4.1: base64url authority key identifier "." base64url serial) that a renewal names in
 * {@code replaces}.
 *
 * @param chain     leaf first
 * @param ariCertId empty when the leaf has no authority key identifier
 */
public record IssuedCertificate(List<X509Certificate> chain, Optional<String> ariCertId) {
    private static final Base64.Encoder PEM = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));

    public IssuedCertificate {
        chain = List.copyOf(chain);
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("an empty chain");
        }
    }

    public static IssuedCertificate of(List<X509Certificate> chain) {
        Optional<String> id;
        try {
            id = Optional.of(AcmeUtils.getRenewalUniqueIdentifier(chain.get(0)));
        } catch (RuntimeException noAuthorityKeyIdentifier) {
            id = Optional.empty();
        }
        return new IssuedCertificate(chain, id);
    }

    /** The stored chain back, leaf first. */
    public static IssuedCertificate parse(String pem) {
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            List<X509Certificate> chain = factory.generateCertificates(new ByteArrayInputStream(
                    pem.getBytes(StandardCharsets.US_ASCII))).stream().map(c -> (X509Certificate) c).toList();
            return of(chain);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("a stored chain does not parse", e);
        }
    }

    public X509Certificate leaf() {
        return chain.get(0);
    }

    /** The leaf's serial number in lower-case hex. */
    public String serial() {
        return leaf().getSerialNumber().toString(16);
    }

    /** The chain as PEM, leaf first. */
    public String pem() {
        StringBuilder pem = new StringBuilder();
        for (X509Certificate c : chain) {
            try {
                pem.append("-----BEGIN CERTIFICATE-----\n").append(PEM.encodeToString(c.getEncoded()))
                        .append("\n-----END CERTIFICATE-----\n");
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("a certificate cannot be encoded", e);
            }
        }
        return pem.toString();
    }
}
