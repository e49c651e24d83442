package dev.acmesmime.testca.client;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.KeyPair;
import java.security.interfaces.RSAKey;

import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * S/MIME CSRs built with BouncyCastle 1.70 (the line James ships): rfc822Name SANs, and an extension request
 * for KeyUsage and EKU emailProtection. acme4j's {@code CSRBuilder} cannot do this: it only knows DNS and IP
 * identifiers, so issue 15 builds its CSRs this way too.
 */
public final class Csrs {
    private Csrs() {
    }

    /** A CSR for {@code addresses}, asking digitalSignature (and keyEncipherment for RSA keys). */
    public static byte[] smime(KeyPair key, String... addresses) {
        int usage = KeyUsage.digitalSignature | (key.getPublic() instanceof RSAKey ? KeyUsage.keyEncipherment : 0);
        return smime(key, usage, addresses);
    }

    public static byte[] smime(KeyPair key, int keyUsage, String... addresses) {
        try {
            GeneralName[] names = new GeneralName[addresses.length];
            for (int i = 0; i < addresses.length; i++) {
                names[i] = new GeneralName(GeneralName.rfc822Name, addresses[i]);
            }
            ExtensionsGenerator extensions = new ExtensionsGenerator();
            extensions.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
            extensions.addExtension(Extension.keyUsage, true, new KeyUsage(keyUsage));
            extensions.addExtension(Extension.extendedKeyUsage, false,
                    new ExtendedKeyUsage(KeyPurposeId.id_kp_emailProtection));
            PKCS10CertificationRequest csr = new JcaPKCS10CertificationRequestBuilder(
                    new X500Name("CN=" + addresses[0]), key.getPublic())
                    .addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, extensions.generate())
                    .build(new JcaContentSignerBuilder(signatureAlgorithm(key)).build(key.getPrivate()));
            return csr.getEncoded();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (OperatorCreationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String signatureAlgorithm(KeyPair key) {
        return key.getPublic() instanceof RSAKey ? "SHA256withRSA" : "SHA256withECDSA";
    }
}
