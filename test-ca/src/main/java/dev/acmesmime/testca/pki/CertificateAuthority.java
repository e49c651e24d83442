package dev.acmesmime.testca.pki;

import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;

/**
 * The test CA's keys and certificates: a root, an intermediate signed by it, and the end-entity S/MIME
 * certificates the intermediate issues (S/MIME BR mailbox-validated strict profile). Generated at start,
 * held in memory only.
 *
 * <p>The root is EC P-384, valid 10 years, {@code CA:true}, key usage keyCertSign + cRLSign. The intermediate
 * is EC P-384, valid 5 years, {@code CA:true, pathLen:0}, the same key usage, and extended key usage
 * emailProtection only, so it can issue S/MIME certificates and nothing else. Both names carry
 * {@code O=TEST ONLY - NOT TRUSTED} and a random tag, so that the roots of two runs never collide in a
 * trust store. Nothing here is ever written to disk but the certificates (never a key).
 */
public final class CertificateAuthority {
    static final String CURVE = "secp384r1";
    private static final String NOT_TRUSTED = "TEST ONLY - NOT TRUSTED";
    /** Clock skew between the test CA and its clients: certificates start a minute in the past. */
    static final Duration BACKDATE = Duration.ofMinutes(1);

    private final Clock clock;
    private final KeyPair rootKey;
    private final X509Certificate root;
    private final KeyPair intermediateKey;
    private final X509Certificate intermediate;

    private CertificateAuthority(Clock clock, KeyPair rootKey, X509Certificate root, KeyPair intermediateKey,
                                 X509Certificate intermediate) {
        this.clock = clock;
        this.rootKey = rootKey;
        this.root = root;
        this.intermediateKey = intermediateKey;
        this.intermediate = intermediate;
    }

    /** A fresh root and intermediate. */
    public static CertificateAuthority generate(Clock clock) {
        String tag = Certificates.tag();
        Instant now = clock.instant();
        KeyPair rootKey = Certificates.ecKey(CURVE);
        X500Name rootName = name("james-acme-smime test CA root " + tag);
        X509v3CertificateBuilder r = Certificates.builder(rootName, Certificates.serial(), now.minus(BACKDATE),
                now.plus(Duration.ofDays(3653)), rootName, rootKey.getPublic());
        Certificates.add(r, Extension.basicConstraints, true, new BasicConstraints(true));
        Certificates.add(r, Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        Certificates.add(r, Extension.subjectKeyIdentifier, false, Certificates.ski(rootKey.getPublic()));
        X509Certificate root = Certificates.sign(r, rootKey.getPrivate(), CURVE);

        KeyPair intermediateKey = Certificates.ecKey(CURVE);
        X509v3CertificateBuilder i = Certificates.builder(rootName, Certificates.serial(), now.minus(BACKDATE),
                now.plus(Duration.ofDays(1826)), name("james-acme-smime test CA intermediate " + tag),
                intermediateKey.getPublic());
        Certificates.add(i, Extension.basicConstraints, true, new BasicConstraints(0));
        Certificates.add(i, Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        Certificates.add(i, Extension.extendedKeyUsage, false,
                new ExtendedKeyUsage(KeyPurposeId.id_kp_emailProtection));
        Certificates.add(i, Extension.subjectKeyIdentifier, false, Certificates.ski(intermediateKey.getPublic()));
        Certificates.add(i, Extension.authorityKeyIdentifier, false, Certificates.aki(rootKey.getPublic()));
        X509Certificate intermediate = Certificates.sign(i, rootKey.getPrivate(), CURVE);
        return new CertificateAuthority(clock, rootKey, root, intermediateKey, intermediate);
    }

    public X509Certificate root() {
        return root;
    }

    public X509Certificate intermediate() {
        return intermediate;
    }

    /** RFC 8555 §7.4 finalize: the CSR's checks (signature, R16 SANs = the order's addresses, key). */
    public CsrCheck checkCsr(byte[] csrDer, Set<String> orderAddresses) {
        return CsrInspector.check(csrDer, orderAddresses);
    }

    /** Issues from a CSR that {@link #checkCsr} accepted; the chain is leaf, intermediate (not the root). */
    public IssuedCertificate issue(CsrCheck accepted, Duration lifetime) {
        if (!accepted.ok()) {
            throw new IllegalArgumentException("the CSR was refused: " + accepted.problem().orElse(""));
        }
        X509Certificate leaf = SmimeProfile.issue(accepted, lifetime, clock.instant(), intermediate,
                intermediateKey.getPrivate());
        List<X509Certificate> chain = List.of(leaf, intermediate);
        return new IssuedCertificate(leaf.getSerialNumber(), chain, Pem.of(chain), AriCertId.of(leaf));
    }

    /** A TLS server identity for the ACME port, issued by the root, for the given DNS names / IPs. */
    public TlsIdentity tlsIdentity(List<String> hosts) {
        return TlsIssuer.issue(hosts, clock.instant(), root, rootKey.getPrivate());
    }

    private static X500Name name(String commonName) {
        return new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.O, NOT_TRUSTED).addRDN(BCStyle.CN, commonName)
                .build();
    }
}
