package dev.acmesmime.smime;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Provider;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A throw-away PKI for tests: a root, an intermediate, and e-mail signing certificates with
 * chosen rfc822Name SANs and validity, all EC P-256 made fresh per test class.
 */
public final class TestPki {

    public static final Provider BC = new BouncyCastleProvider();

    /** The instant every test validates at. */
    public static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");

    private static final AtomicLong SERIAL = new AtomicLong(1000);

    /** A key pair with its certificate. */
    public record Identity(KeyPair keys, X509Certificate cert) {
    }

    public final Identity root;
    public final Identity intermediate;

    public TestPki(String name) throws Exception {
        root = ca("CN=" + name + " Root", null, Instant.parse("2024-01-01T00:00:00Z"), Instant.parse("2036-01-01T00:00:00Z"));
        intermediate = ca("CN=" + name + " S/MIME Intermediate", root,
                Instant.parse("2024-01-01T00:00:00Z"), Instant.parse("2034-01-01T00:00:00Z"));
    }

    /** A signer valid 2026-01-01 to 2027-01-01, issued by the intermediate, with these rfc822Name SANs. */
    public Identity signer(String... emails) throws Exception {
        return signer(Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2027-01-01T00:00:00Z"), emails);
    }

    Identity signer(Instant notBefore, Instant notAfter, String... emails) throws Exception {
        return signer(ecKeys(), notBefore, notAfter, KeyPurposeId.id_kp_emailProtection, emails);
    }

    /** A signer with the given key and extended key usage, valid 2026. */
    Identity signer(KeyPair kp, KeyPurposeId eku, String... emails) throws Exception {
        return signer(kp, Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2027-01-01T00:00:00Z"), eku, emails);
    }

    /**
     * A gateway mailbox's certificate, valid 2026: signing and, by key type, keyEncipherment (RSA)
     * or keyAgreement (EC), as an S/MIME BR mailbox certificate for both uses has.
     */
    public Identity mailbox(KeyPair kp, String... emails) throws Exception {
        int encipher = kp.getPublic().getAlgorithm().equals("RSA") ? KeyUsage.keyEncipherment : KeyUsage.keyAgreement;
        return signer(kp, Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2027-01-01T00:00:00Z"),
                KeyPurposeId.id_kp_emailProtection, KeyUsage.digitalSignature | encipher, emails);
    }

    private Identity signer(KeyPair kp, Instant notBefore, Instant notAfter, KeyPurposeId eku, String... emails)
            throws Exception {
        return signer(kp, notBefore, notAfter, eku, KeyUsage.digitalSignature, emails);
    }

    private Identity signer(KeyPair kp, Instant notBefore, Instant notAfter, KeyPurposeId eku, int keyUsage,
                            String... emails) throws Exception {
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(intermediate.cert(), serial(),
                Date.from(notBefore), Date.from(notAfter), new X500Name("CN=ACME challenge signer"), kp.getPublic());
        JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        b.addExtension(Extension.keyUsage, true, new KeyUsage(keyUsage));
        b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(eku));
        b.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(intermediate.cert()));
        b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(kp.getPublic()));
        if (emails.length > 0) {
            GeneralName[] names = new GeneralName[emails.length];
            for (int i = 0; i < emails.length; i++) {
                names[i] = new GeneralName(GeneralName.rfc822Name, emails[i]);
            }
            b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
        }
        return new Identity(kp, sign(b, intermediate));
    }

    private Identity ca(String dn, Identity issuer, Instant notBefore, Instant notAfter) throws Exception {
        KeyPair kp = ecKeys();
        X500Name subject = new X500Name(dn);
        X509v3CertificateBuilder b = issuer == null
                ? new JcaX509v3CertificateBuilder(subject, serial(), Date.from(notBefore), Date.from(notAfter), subject, kp.getPublic())
                : new JcaX509v3CertificateBuilder(issuer.cert(), serial(), Date.from(notBefore), Date.from(notAfter), subject, kp.getPublic());
        JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(issuer == null ? 1 : 0));
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(kp.getPublic()));
        if (issuer != null) {
            b.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(issuer.cert()));
        }
        return new Identity(kp, sign(b, issuer == null ? new Identity(kp, null) : issuer));
    }

    private static X509Certificate sign(X509v3CertificateBuilder b, Identity issuer) throws Exception {
        return new JcaX509CertificateConverter().setProvider(BC).getCertificate(
                b.build(new JcaContentSignerBuilder("SHA256withECDSA").setProvider(BC).build(issuer.keys().getPrivate())));
    }

    public static KeyPair ecKeys() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    public static KeyPair rsaKeys(int bits) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(bits);
        return g.generateKeyPair();
    }

    private static BigInteger serial() {
        return BigInteger.valueOf(SERIAL.incrementAndGet());
    }
}
