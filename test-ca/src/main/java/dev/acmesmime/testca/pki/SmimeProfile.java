package dev.acmesmime.testca.pki;

import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CertificatePolicies;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.PolicyInformation;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;

/**
 * The end-entity profile: S/MIME Baseline Requirements, mailbox-validated, strict (§7.1.2.3). basicConstraints
 * CA:false (critical); key usage (critical) as the CSR asked (RFC 8823 §3.3: signing-only or encryption-only),
 * else digitalSignature plus keyEncipherment for RSA or keyAgreement for EC; extended key usage emailProtection
 * only; subjectAltName the rfc822Names (critical when the subject is empty); certificate policy
 * {@value #MAILBOX_VALIDATED_STRICT}; AKI = the intermediate's SKI; SKI. The subject is
 * {@code CN=<first address>} when the address fits a CN (64 characters), else empty.
 */
final class SmimeProfile {
    /** CA/Browser Forum S/MIME BR reserved policy identifier: mailbox-validated, strict. */
    static final String MAILBOX_VALIDATED_STRICT = "2.23.140.1.5.1.3";
    private static final int CN_MAX = 64;

    private SmimeProfile() {
    }

    static X509Certificate issue(CsrCheck accepted, Duration lifetime, Instant now, X509Certificate issuer,
                                 PrivateKey issuerKey) {
        String first = accepted.addresses().iterator().next();
        X500Name subject = first.length() <= CN_MAX
                ? new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, first).build()
                : new X500Name(new RDN[0]);
        PublicKey key = accepted.publicKey().orElseThrow();
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer, Certificates.serial(),
                Date.from(now.minus(CertificateAuthority.BACKDATE)), Date.from(now.plus(lifetime)), subject, key);
        boolean rsa = key.getAlgorithm().equals("RSA");
        int ku = accepted.keyUsage() != 0 ? accepted.keyUsage()
                : KeyUsage.digitalSignature | (rsa ? KeyUsage.keyEncipherment : KeyUsage.keyAgreement);
        GeneralName[] names = accepted.addresses().stream().map(a -> new GeneralName(GeneralName.rfc822Name, a))
                .toArray(GeneralName[]::new);
        Certificates.add(b, Extension.basicConstraints, true, new BasicConstraints(false));
        Certificates.add(b, Extension.keyUsage, true, new KeyUsage(ku));
        Certificates.add(b, Extension.extendedKeyUsage, false,
                new ExtendedKeyUsage(KeyPurposeId.id_kp_emailProtection));
        Certificates.add(b, Extension.subjectAlternativeName, subject.getRDNs().length == 0, new GeneralNames(names));
        Certificates.add(b, Extension.certificatePolicies, false,
                new CertificatePolicies(new PolicyInformation(new ASN1ObjectIdentifier(MAILBOX_VALIDATED_STRICT))));
        Certificates.add(b, Extension.authorityKeyIdentifier, false, Certificates.aki(issuer.getPublicKey()));
        Certificates.add(b, Extension.subjectKeyIdentifier, false, Certificates.ski(key));
        return Certificates.sign(b, issuerKey, CertificateAuthority.CURVE);
    }
}
