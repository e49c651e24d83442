package dev.acmesmime.testca.client;

import java.io.IOException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.x509.CertificatePolicies;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.PolicyInformation;

/** What the tests read from issued certificates. */
public final class Certificates {
    /** S/MIME BR mailbox-validated strict profile. */
    public static final String MAILBOX_STRICT_POLICY = "2.23.140.1.5.1.3";

    private Certificates() {
    }

    /** The rfc822Name SANs. */
    public static List<String> rfc822Names(X509Certificate cert) throws CertificateParsingException {
        List<String> names = new ArrayList<>();
        Collection<List<?>> sans = cert.getSubjectAlternativeNames();
        if (sans != null) {
            for (List<?> san : sans) {
                if (Integer.valueOf(1).equals(san.get(0))) {
                    names.add((String) san.get(1));
                }
            }
        }
        return names;
    }

    /** The certificate policy OIDs. */
    public static List<String> policies(X509Certificate cert) {
        byte[] ext = cert.getExtensionValue(Extension.certificatePolicies.getId());
        if (ext == null) {
            return List.of();
        }
        CertificatePolicies policies = CertificatePolicies.getInstance(
                parse(ASN1OctetString.getInstance(ext).getOctets()));
        List<String> oids = new ArrayList<>();
        for (PolicyInformation p : policies.getPolicyInformation()) {
            oids.add(p.getPolicyIdentifier().getId());
        }
        return oids;
    }

    private static ASN1Primitive parse(byte[] der) {
        try {
            return ASN1Primitive.fromByteArray(der);
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
