package dev.acmesmime.testca.pki;

import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;

/**
 * PEM text of certificates (RFC 7468 §5): {@code -----BEGIN CERTIFICATE-----}, base64 in 64-character lines,
 * {@code \n} line ends, one block after the other. This is the {@code application/pem-certificate-chain} body
 * of RFC 8555 §7.4.2 and the format of {@code root.pem} and {@code tls.pem}.
 */
public final class Pem {
    private static final Base64.Encoder LINES = Base64.getMimeEncoder(64, new byte[] {'\n'});

    private Pem() {
    }

    public static String of(List<X509Certificate> certificates) {
        StringBuilder out = new StringBuilder();
        for (X509Certificate c : certificates) {
            out.append("-----BEGIN CERTIFICATE-----\n").append(LINES.encodeToString(der(c)))
                    .append("\n-----END CERTIFICATE-----\n");
        }
        return out.toString();
    }

    private static byte[] der(X509Certificate certificate) {
        try {
            return certificate.getEncoded();
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException("a certificate the test CA holds cannot be encoded", e);
        }
    }
}
