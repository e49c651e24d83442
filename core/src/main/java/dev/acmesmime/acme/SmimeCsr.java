package dev.acmesmime.acme;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.KeyPair;
import java.util.List;

import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/**
 * The PKCS#10 CSR that finalizes an S/MIME order (RFC 8823 §3.3): the mailbox as rfc822Name SAN, KeyUsage
 * (critical) as the profile chooses, and EKU emailProtection, requested through the extensionRequest
 * attribute. The subject is empty: the S/MIME Baseline Requirements leave it to the CA.
 * <p>
 * Written with BouncyCastle 1.70 (the line James ships), because acme4j's {@code CSRBuilder} only writes
 * DNS and IP names.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8823#section-3.3">RFC 8823 §3.3</a>
 */
public final class SmimeCsr {
    private SmimeCsr() {
    }

    /** The DER-encoded CSR for {@code mailbox}; the key's type decides the signature and encryption bit. */
    public static byte[] of(KeyPair key, KeyUsageChoice usage, String mailbox) {
        KeyType type = KeyType.of(key.getPublic());
        return of(key, type.signatureAlgorithm(), usage.bits(type), List.of(mailbox));
    }

    /**
     * A CSR with any KeyUsage bits and any number of addresses (tests build unusual requests with it).
     *
     * @param keyUsage BouncyCastle {@link KeyUsage} bits
     */
    public static byte[] of(KeyPair key, String signatureAlgorithm, int keyUsage, List<String> addresses) {
        try {
            GeneralName[] names = addresses.stream().map(a -> new GeneralName(GeneralName.rfc822Name, a))
                    .toArray(GeneralName[]::new);
            ExtensionsGenerator extensions = new ExtensionsGenerator();
            extensions.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
            extensions.addExtension(Extension.keyUsage, true, new KeyUsage(keyUsage));
            extensions.addExtension(Extension.extendedKeyUsage, false,
                    new ExtendedKeyUsage(KeyPurposeId.id_kp_emailProtection));
            return new JcaPKCS10CertificationRequestBuilder(new X500Name(new RDN[0]), key.getPublic())
                    .addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, extensions.generate())
                    .build(new JcaContentSignerBuilder(signatureAlgorithm).build(key.getPrivate()))
                    .getEncoded();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (OperatorCreationException e) {
            throw new IllegalStateException("cannot sign a CSR with " + signatureAlgorithm, e);
        }
    }
}
