package dev.acmesmime.testca.pki;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Date;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The X.509 plumbing the test CA's certificates share: keys, serials, key identifiers, signing. It uses the
 * JDK's providers only (BouncyCastle for ASN.1 and building), so nothing has to register a provider.
 */
final class Certificates {
    static final SecureRandom RANDOM = new SecureRandom();

    private Certificates() {
    }

    /** An EC key on a named curve ({@code secp256r1} or {@code secp384r1}). */
    static KeyPair ecKey(String curve) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec(curve), RANDOM);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK cannot make an EC key on " + curve, e);
        }
    }

    /** 16 random bytes, positive (S/MIME BR §7.1: at least 64 bits of CSPRNG output). */
    static BigInteger serial() {
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        return new BigInteger(1, b);
    }

    /** A random hex tag, so that two test CAs never share a name. */
    static String tag() {
        byte[] b = new byte[6];
        RANDOM.nextBytes(b);
        return new BigInteger(1, b).or(BigInteger.ONE.shiftLeft(48)).toString(16).substring(1);
    }

    static JcaX509v3CertificateBuilder builder(X500Name issuer, BigInteger serial, Instant notBefore,
                                               Instant notAfter, X500Name subject, PublicKey key) {
        return new JcaX509v3CertificateBuilder(issuer, serial, Date.from(notBefore), Date.from(notAfter), subject, key);
    }

    static SubjectKeyIdentifier ski(PublicKey key) {
        return extensionUtils().createSubjectKeyIdentifier(key);
    }

    static AuthorityKeyIdentifier aki(PublicKey issuerKey) {
        return extensionUtils().createAuthorityKeyIdentifier(issuerKey);
    }

    /** Signs with SHA-384 for a P-384 (or RSA) signer and SHA-256 for a P-256 one. */
    static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey signer, String curve) {
        String algorithm = "secp256r1".equals(curve) ? "SHA256withECDSA" : "SHA384withECDSA";
        try {
            return new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder(algorithm).build(signer)));
        } catch (OperatorCreationException | CertificateException e) {
            throw new IllegalStateException("cannot sign a certificate with " + algorithm, e);
        }
    }

    /** Wraps BouncyCastle's checked exception for extension encoding, which cannot happen with our values. */
    static void add(X509v3CertificateBuilder builder, ASN1ObjectIdentifier oid,
                    boolean critical, ASN1Encodable value) {
        try {
            builder.addExtension(oid, critical, value);
        } catch (CertIOException e) {
            throw new IllegalStateException("cannot encode extension " + oid, e);
        }
    }

    private static JcaX509ExtensionUtils extensionUtils() {
        try {
            return new JcaX509ExtensionUtils();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no SHA-1 for key identifiers", e);
        }
    }
}
