package dev.acmesmime.testing;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A throw-away e-mail CA for gateway tests: one self-signed EC P-256 root that issues mailbox certificates
 * (rfc822Name SAN, emailProtection) with the validity and key a test chooses, as enrolment would store them.
 */
public final class MailboxCertificates {
    private static final AtomicLong SERIALS = new AtomicLong(System.nanoTime() & 0xffffffL);

    /** A mailbox's key with its chain, leaf first. */
    public record Issued(KeyPair key, List<X509Certificate> chain) {
        public X509Certificate leaf() {
            return chain.get(0);
        }
    }

    private final KeyPair rootKey;
    private final X509Certificate root;

    public MailboxCertificates(String name) {
        rootKey = ec();
        Instant now = Instant.now();
        X500Name dn = new X500Name("CN=" + name);
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(dn, serial(), Date.from(now.minusSeconds(86_400L * 365)),
                Date.from(now.plusSeconds(86_400L * 3650)), dn, rootKey.getPublic());
        root = build(b, bc -> bc.addExtension(Extension.basicConstraints, true, new BasicConstraints(0)));
    }

    public X509Certificate root() {
        return root;
    }

    /** An EC P-256 certificate for {@code mailbox}, valid from a day ago for a year. */
    public Issued issue(String mailbox) {
        Instant now = Instant.now();
        return issue(mailbox, ec(), now.minusSeconds(86_400), now.plusSeconds(86_400L * 365));
    }

    public Issued issue(String mailbox, KeyPair key, Instant notBefore, Instant notAfter) {
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(root, serial(), Date.from(notBefore),
                Date.from(notAfter), new X500Name("CN=" + mailbox), key.getPublic());
        X509Certificate leaf = build(b, bc -> {
            bc.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            bc.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_emailProtection));
            bc.addExtension(Extension.subjectAlternativeName, false,
                    new GeneralNames(new GeneralName(GeneralName.rfc822Name, mailbox)));
        });
        return new Issued(key, List.of(leaf, root));
    }

    /** A fresh EC P-256 key pair. */
    public static KeyPair ec() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private interface Extensions {
        void add(X509v3CertificateBuilder b) throws CertIOException;
    }

    private X509Certificate build(X509v3CertificateBuilder b, Extensions extensions) {
        try {
            extensions.add(b);
            return new JcaX509CertificateConverter().getCertificate(
                    b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(rootKey.getPrivate())));
        } catch (CertIOException | OperatorCreationException | GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static BigInteger serial() {
        return BigInteger.valueOf(SERIALS.incrementAndGet());
    }
}
