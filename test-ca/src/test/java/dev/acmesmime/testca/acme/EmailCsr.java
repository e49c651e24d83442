package dev.acmesmime.testca.acme;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/** What an S/MIME client computes: a P-256 CSR with rfc822Name SANs, and the ARI CertID of a certificate. */
final class EmailCsr {
    private EmailCsr() {
    }

    static KeyPair p256() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    /** base64url(DER) of a CSR naming {@code addresses}, as the finalize payload carries it. */
    static String of(KeyPair key, String... addresses) throws Exception {
        GeneralName[] sans = new GeneralName[addresses.length];
        for (int i = 0; i < addresses.length; i++) {
            sans[i] = new GeneralName(GeneralName.rfc822Name, addresses[i]);
        }
        ExtensionsGenerator ext = new ExtensionsGenerator();
        ext.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(sans));
        byte[] der = new JcaPKCS10CertificationRequestBuilder(new X500Name(new RDN[0]), key.getPublic())
                .addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, ext.generate())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(key.getPrivate())).getEncoded();
        return Base64.getUrlEncoder().withoutPadding().encodeToString(der);
    }

    /** RFC 9773 §4.1: base64url(AKI keyIdentifier) "." base64url(serial's DER content octets). */
    static String ariCertId(X509Certificate cert) {
        byte[] ext = ASN1OctetString.getInstance(cert.getExtensionValue(Extension.authorityKeyIdentifier.getId()))
                .getOctets();
        byte[] keyId = AuthorityKeyIdentifier.getInstance(ext).getKeyIdentifier();
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        return b64.encodeToString(keyId) + "." + b64.encodeToString(cert.getSerialNumber().toByteArray());
    }
}
