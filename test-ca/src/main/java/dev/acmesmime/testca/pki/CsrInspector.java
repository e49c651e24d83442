package dev.acmesmime.testca.pki;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.acmesmime.rfc8823.Mailboxes;
import org.bouncycastle.asn1.ASN1BitString;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.RSAPublicKey;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;

/**
 * Judges a finalize CSR (RFC 8555 §7.4) the strict way: DER PKCS#10 with a valid self-signature; a key the
 * S/MIME BRs allow (RSA of at least 2048 bits, EC P-256 or P-384); rfc822Name SANs exactly the order's
 * addresses (R16: none missing, none extra, compared lower-cased) and no other SAN type; a subject CN or
 * emailAddress, if any, one of those addresses; a requested key usage (RFC 8823 §3.3) an S/MIME certificate
 * for that key type may carry. The first failed check is the problem, naming the offending value.
 */
final class CsrInspector {
    private static final Map<Integer, String> SAN_TYPES = Map.of(GeneralName.otherName, "otherName",
            GeneralName.dNSName, "dNSName", GeneralName.x400Address, "x400Address", GeneralName.directoryName,
            "directoryName", GeneralName.ediPartyName, "ediPartyName", GeneralName.uniformResourceIdentifier,
            "URI", GeneralName.iPAddress, "iPAddress", GeneralName.registeredID, "registeredID");

    private CsrInspector() {
    }

    static CsrCheck check(byte[] der, Set<String> orderAddresses) {
        JcaPKCS10CertificationRequest csr;
        try {
            csr = new JcaPKCS10CertificationRequest(der);
        } catch (IOException | RuntimeException e) {
            return CsrCheck.refused("CSR is not DER PKCS#10", der);
        }
        Optional<String> keyProblem = keyProblem(csr.getSubjectPublicKeyInfo());
        if (keyProblem.isPresent()) {
            return CsrCheck.refused(keyProblem.get(), der);
        }
        PublicKey key;
        try {
            // by name: the JDK knows no KeyFactory by the EC OID that BouncyCastle's getPublicKey() asks for
            boolean rsa = csr.getSubjectPublicKeyInfo().getAlgorithm().getAlgorithm()
                    .equals(PKCSObjectIdentifiers.rsaEncryption);
            key = KeyFactory.getInstance(rsa ? "RSA" : "EC").generatePublic(
                    new X509EncodedKeySpec(csr.getSubjectPublicKeyInfo().getEncoded()));
            if (!csr.isSignatureValid(new JcaContentVerifierProviderBuilder().build(key))) {
                return CsrCheck.refused("CSR signature is not valid", der);
            }
        } catch (GeneralSecurityException | IOException | OperatorCreationException | PKCSException
                 | RuntimeException e) {
            return CsrCheck.refused("CSR signature cannot be checked: " + e.getMessage(), der);
        }
        try {
            return judge(csr, key, der, orderAddresses);
        } catch (RuntimeException e) {
            // a hostile client's ASN.1 ends in BouncyCastle's unchecked exceptions: a refusal, never a 500
            return CsrCheck.refused("CSR extension request cannot be read", der);
        }
    }

    /** The checks on a parsed, correctly self-signed CSR with an allowed key. */
    private static CsrCheck judge(JcaPKCS10CertificationRequest csr, PublicKey key, byte[] der,
                                  Set<String> orderAddresses) {
        Extensions ext = csr.getRequestedExtensions();
        Map<String, String> sans = new LinkedHashMap<>();
        Optional<String> problem = sanProblem(ext, sans).or(() -> addressProblem(sans, orderAddresses))
                .or(() -> subjectProblem(csr, sans));
        if (problem.isPresent()) {
            return CsrCheck.refused(problem.get(), der);
        }
        int keyUsage = keyUsage(ext);
        Optional<String> kuProblem = keyUsageProblem(keyUsage, key.getAlgorithm().equals("RSA"));
        if (kuProblem.isPresent()) {
            return CsrCheck.refused(kuProblem.get(), der);
        }
        return new CsrCheck(true, Optional.empty(), new LinkedHashSet<>(sans.values()), Optional.of(key), keyUsage,
                der);
    }

    /** RSA of at least 2048 bits or EC on P-256 / P-384 (S/MIME BR §6.1.5); read from the ASN.1 alone. */
    private static Optional<String> keyProblem(SubjectPublicKeyInfo info) {
        ASN1ObjectIdentifier alg = info.getAlgorithm().getAlgorithm();
        try {
            if (alg.equals(PKCSObjectIdentifiers.rsaEncryption)) {
                int bits = RSAPublicKey.getInstance(info.parsePublicKey()).getModulus().bitLength();
                return bits >= 2048 ? Optional.empty()
                        : Optional.of("CSR key is RSA " + bits + " bits; at least 2048 are needed");
            }
            if (alg.equals(X9ObjectIdentifiers.id_ecPublicKey)) {
                Object curve = info.getAlgorithm().getParameters();
                return X9ObjectIdentifiers.prime256v1.equals(curve) || SECObjectIdentifiers.secp384r1.equals(curve)
                        ? Optional.empty() : Optional.of("CSR key is EC on curve " + curve + "; only P-256 and "
                        + "P-384 are allowed");
            }
        } catch (IOException | RuntimeException e) {
            return Optional.of("CSR public key cannot be read");
        }
        return Optional.of("CSR key algorithm " + alg + " is not allowed; use RSA or EC P-256/P-384");
    }

    /** Collects the rfc822Name SANs (lower-cased whole address to the normalised one) into {@code out}. */
    private static Optional<String> sanProblem(Extensions ext, Map<String, String> out) {
        GeneralNames names = ext == null ? null : GeneralNames.fromExtensions(ext, Extension.subjectAlternativeName);
        if (names == null) {
            return Optional.of("CSR has no subjectAltName extension request with rfc822Name entries");
        }
        for (GeneralName n : names.getNames()) {
            if (n.getTagNo() != GeneralName.rfc822Name) {
                return Optional.of("CSR subjectAltName has a " + SAN_TYPES.get(n.getTagNo())
                        + " entry; only rfc822Name is allowed");
            }
            String address = ((ASN1String) n.getName()).getString();
            try {
                out.put(address.toLowerCase(Locale.ROOT), Mailboxes.normalize(address));
            } catch (IllegalArgumentException e) {
                return Optional.of("CSR rfc822Name is not an address: " + address);
            }
        }
        return Optional.empty();
    }

    /** R16: the CSR's addresses are exactly the order's. */
    private static Optional<String> addressProblem(Map<String, String> sans, Set<String> orderAddresses) {
        Set<String> wanted = new LinkedHashSet<>();
        orderAddresses.forEach(a -> wanted.add(a.toLowerCase(Locale.ROOT)));
        for (Map.Entry<String, String> san : sans.entrySet()) {
            if (!wanted.contains(san.getKey())) {
                return Optional.of("CSR rfc822Name " + san.getValue() + " is not an identifier of the order");
            }
        }
        for (String a : orderAddresses) {
            if (!sans.containsKey(a.toLowerCase(Locale.ROOT))) {
                return Optional.of("CSR lacks the order's address " + a + " as an rfc822Name");
            }
        }
        return Optional.empty();
    }

    private static Optional<String> subjectProblem(JcaPKCS10CertificationRequest csr, Map<String, String> sans) {
        for (ASN1ObjectIdentifier type : new ASN1ObjectIdentifier[] {BCStyle.CN, BCStyle.EmailAddress}) {
            for (RDN rdn : csr.getSubject().getRDNs(type)) {
                String value = IETFUtils.valueToString(rdn.getFirst().getValue());
                if (!sans.containsKey(value.toLowerCase(Locale.ROOT))) {
                    return Optional.of("CSR subject " + BCStyle.INSTANCE.oidToDisplayName(type) + " " + value
                            + " is not one of the order's addresses");
                }
            }
        }
        return Optional.empty();
    }

    /** The keyUsage bits of the extension request (BouncyCastle's {@link KeyUsage} values), 0 when none. */
    private static int keyUsage(Extensions ext) {
        Extension ku = ext == null ? null : ext.getExtension(Extension.keyUsage);
        if (ku == null) {
            return 0;
        }
        ASN1BitString bits = DERBitString.getInstance(ku.getParsedValue());
        return bits.intValue();
    }

    /** RFC 8823 §3.3 and S/MIME BR §7.1.2.3: signing and/or the key type's own encryption usage, nothing else. */
    private static Optional<String> keyUsageProblem(int asked, boolean rsa) {
        if (asked == 0) {
            return Optional.empty();
        }
        int encryption = rsa ? KeyUsage.keyEncipherment : KeyUsage.keyAgreement;
        int allowed = KeyUsage.digitalSignature | KeyUsage.nonRepudiation | encryption;
        if ((asked & ~allowed) != 0) {
            return Optional.of("CSR asks for key usage bits an S/MIME certificate for a" + (rsa ? "n RSA" : "n EC")
                    + " key may not carry (allowed: digitalSignature, nonRepudiation, "
                    + (rsa ? "keyEncipherment" : "keyAgreement") + ")");
        }
        if ((asked & (KeyUsage.digitalSignature | encryption)) == 0) {
            return Optional.of("CSR key usage allows neither signing nor encryption");
        }
        return Optional.empty();
    }
}
