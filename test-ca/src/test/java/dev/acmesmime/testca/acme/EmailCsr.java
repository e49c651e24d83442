package dev.acmesmime.testca.acme;

import dev.acmesmime.acme.SmimeCsr;
import dev.acmesmime.testca.pki.AriCertId;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.asn1.x509.KeyUsage;

/** What an S/MIME client computes: a P-256 CSR with rfc822Name SANs, and the ARI CertID of a certificate. */
final class EmailCsr {
    private EmailCsr() {
    }

    static KeyPair p256() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    /** base64url(DER) of a CSR naming {@code addresses} (core's S/MIME CSR), as the finalize payload carries it. */
    static String of(KeyPair key, String... addresses) {
        byte[] der = SmimeCsr.of(key, "SHA256withECDSA", KeyUsage.digitalSignature, List.of(addresses));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(der);
    }

    /** RFC 9773 §4.1 CertID, as the test CA computes it. */
    static String ariCertId(X509Certificate cert) {
        return AriCertId.of(cert);
    }
}
