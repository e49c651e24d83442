package dev.acmesmime.testca.pki;

import java.io.IOException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.List;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/** Test CSRs, made the way a client makes them, with whatever a case needs wrong. */
final class Csrs {
    private Csrs() {
    }

    static KeyPair ec(String curve) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec(curve));
        return g.generateKeyPair();
    }

    static KeyPair rsa(int bits) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(bits);
        return g.generateKeyPair();
    }

    static GeneralName email(String address) {
        return new GeneralName(GeneralName.rfc822Name, address);
    }

    /** A CSR for {@code key} with these SANs, subject {@code subject} (may be ""), keyUsage bits (0 = none). */
    static byte[] csr(KeyPair key, String subject, int keyUsage, GeneralName... sans)
            throws IOException, OperatorCreationException {
        ExtensionsGenerator ext = new ExtensionsGenerator();
        if (sans.length > 0) {
            ext.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(sans));
        }
        if (keyUsage != 0) {
            ext.addExtension(Extension.keyUsage, true, new KeyUsage(keyUsage));
        }
        JcaPKCS10CertificationRequestBuilder b = new JcaPKCS10CertificationRequestBuilder(
                subject.isEmpty() ? new X500Name(new RDN[0]) : new X500Name(subject),
                key.getPublic());
        if (!ext.isEmpty()) {
            b.addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, ext.generate());
        }
        String alg = key.getPublic().getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
        return b.build(new JcaContentSignerBuilder(alg).build(key.getPrivate())).getEncoded();
    }

    /** A correctly signed CSR whose extensionRequest attribute holds {@code value} instead of Extensions. */
    static byte[] withExtensionRequest(KeyPair key, ASN1Encodable value) throws OperatorCreationException, IOException {
        return new JcaPKCS10CertificationRequestBuilder(new X500Name(new RDN[0]), key.getPublic())
                .addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, value)
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(key.getPrivate())).getEncoded();
    }

    static byte[] csr(KeyPair key, List<String> addresses) throws IOException, OperatorCreationException {
        return csr(key, "", 0, addresses.stream().map(Csrs::email).toArray(GeneralName[]::new));
    }
}
