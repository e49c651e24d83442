package dev.acmesmime.smime;

import java.security.InvalidAlgorithmParameterException;
import java.security.NoSuchAlgorithmException;
import java.security.Provider;
import java.security.PublicKey;
import java.security.cert.CertPathBuilder;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertStore;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.CertificateParsingException;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.PKIXCertPathBuilderResult;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CertSelector;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSSignerDigestMismatchException;
import org.bouncycastle.cms.CMSVerifierCertificateNotValidException;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.DefaultAlgorithmNameFinder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.util.Store;
import dev.acmesmime.rfc8823.Addresses;
import dev.acmesmime.rfc8823.Check;
import dev.acmesmime.rfc8823.FailureCode;
import dev.acmesmime.rfc8823.Untrusted;

/**
 * The three checks on one S/MIME signer, shared by every reader of signed mail so that each rule
 * lives in one place: the RFC 8823 challenge verifier ({@link SmimeChallengeVerifier}, C15, C17, D5)
 * and the gateway's certificate harvest ({@code dev.acmesmime.gateway.CertificateHarvest}, G6).
 * <ul>
 * <li>{@link #signature}: the SignerInfo verifies over the exact signed bytes, with neither MD5 nor
 * SHA-1 and no RSA key under {@value #MIN_RSA_BITS} bits;</li>
 * <li>{@link #trust}: the certificate is valid at the given instant (never the signer-asserted
 * signingTime), usable for e-mail, and a PKIX path through the message's certificates reaches a
 * trust anchor at that instant; revocation only when the owner switched it on;</li>
 * <li>{@link #signerMatchesFrom}: an rfc822Name subjectAltName (any of them) equals From.</li>
 * </ul>
 * Each answers a {@link Check}; none throws for hostile input. Thread-safe.
 */
public final class SignerChecks {

    /** Most certificates taken from one message's CMS for path building. */
    public static final int MAX_CERTIFICATES = 32;
    /** Smallest RSA signing key accepted, in bits (RFC 8551 §6 calls smaller keys weak; S/MIME BR §6.1.5). */
    public static final int MIN_RSA_BITS = 2048;

    private static final Set<String> WEAK_ALGORITHMS = Set.of(
            "1.2.840.113549.2.5",    // md5
            "1.3.14.3.2.26",         // sha1
            "1.2.840.113549.1.1.4",  // md5WithRSAEncryption
            "1.2.840.113549.1.1.5",  // sha1WithRSAEncryption
            "1.2.840.10045.4.1",     // ecdsa-with-SHA1
            "1.2.840.10040.4.3");    // dsa-with-sha1
    private static final String EKU_EMAIL_PROTECTION = "1.3.6.1.5.5.7.3.4";
    private static final String EKU_ANY = "2.5.29.37.0";

    /** A private instance, not registered with {@link java.security.Security}: no global side effect inside James. */
    private static final Provider BC = new BouncyCastleProvider();
    private static final DefaultAlgorithmNameFinder ALGORITHM_NAMES = new DefaultAlgorithmNameFinder();

    private final Set<TrustAnchor> anchors;
    private final Set<X500Principal> anchorSubjects;
    private final boolean revocation;

    /** @param revocation whether the JDK PKIX revocation checker runs (OCSP/CRL fetches) */
    public SignerChecks(Set<TrustAnchor> anchors, boolean revocation) {
        this.anchors = Set.copyOf(anchors);
        this.anchorSubjects = this.anchors.stream().map(a -> a.getTrustedCert().getSubjectX500Principal())
                .collect(Collectors.toUnmodifiableSet());
        this.revocation = revocation;
    }

    /** Trust anchors for {@link #SignerChecks}; throws when empty: nothing could ever be trusted. */
    public static Set<TrustAnchor> anchors(Collection<X509Certificate> certificates) {
        Set<TrustAnchor> set = new HashSet<>();
        for (X509Certificate c : Objects.requireNonNull(certificates, "certificates")) {
            set.add(new TrustAnchor(c, null));
        }
        if (set.isEmpty()) {
            throw new IllegalArgumentException("no trust anchors given");
        }
        return Set.copyOf(set);
    }

    /** smime-invalid: the cryptographic check, and only that. */
    public static Check signature(SignerInformation si, X509CertificateHolder holder, X509Certificate cert,
                                   SmimeStructure.Signed signed, String who) {
        String signer = "signer " + Untrusted.quote(cert.getSubjectX500Principal().getName()) + who;
        if (WEAK_ALGORITHMS.contains(si.getDigestAlgOID()) || WEAK_ALGORITHMS.contains(si.getEncryptionAlgOID())) {
            return Check.fail(FailureCode.SMIME_INVALID, signer + " uses a broken algorithm (digest "
                    + algorithmName(si.getDigestAlgOID()) + ", signature " + algorithmName(si.getEncryptionAlgOID())
                    + "): MD5 and SHA-1 are refused");
        }
        PublicKey key = cert.getPublicKey();
        if (key instanceof RSAPublicKey rsa && rsa.getModulus().bitLength() < MIN_RSA_BITS) {
            return Check.fail(FailureCode.SMIME_INVALID, signer + " has an RSA key of " + rsa.getModulus().bitLength()
                    + " bits, below " + MIN_RSA_BITS);
        }
        try {
            boolean ok = si.verify(new JcaSimpleSignerInfoVerifierBuilder().setProvider(BC).build(holder));
            if (!ok) {
                return Check.fail(FailureCode.SMIME_INVALID, "signature of " + signer + " does not verify over the "
                        + signed.content().length + " signed bytes of the " + signed.shape().label());
            }
        } catch (CMSSignerDigestMismatchException e) {
            return Check.fail(FailureCode.SMIME_INVALID, "signature of " + signer + " does not verify: the "
                    + signed.content().length + " signed bytes of the " + signed.shape().label()
                    + " do not match the message-digest attribute (content altered)");
        } catch (CMSVerifierCertificateNotValidException e) {
            return Check.fail(FailureCode.SMIME_INVALID, "signature of " + signer
                    + " not accepted: the signer-asserted signingTime is outside the certificate's validity");
        } catch (OperatorCreationException | CMSException | CertificateException | RuntimeException e) {
            // BC throws unchecked on hostile keys and parameters: a signature that cannot be verified proves nothing (C15)
            return Check.fail(FailureCode.SMIME_INVALID, "signature of " + signer + " cannot be verified: "
                    + SmimeStructure.describe(e));
        }
        return Check.pass(FailureCode.SMIME_INVALID, "signature of " + signer + " verified (" + algorithmName(si.getDigestAlgOID())
                + " / " + algorithmName(si.getEncryptionAlgOID()) + ") over the " + signed.content().length + " signed bytes of the "
                + signed.shape().label() + (signed.lineEndsNormalised() ? ", bare LFs restored to CRLF" : ""));
    }

    /** smime-untrusted: validity at the clock's instant, e-mail usage, and a PKIX path to an anchor. */
    public Check trust(X509Certificate cert, List<X509Certificate> bag, Instant at, String who) {
        String when = at.truncatedTo(ChronoUnit.SECONDS).toString();
        String signer = "signer certificate " + Untrusted.quote(cert.getSubjectX500Principal().getName()) + who;
        List<String> problems = new ArrayList<>();
        try {
            cert.checkValidity(Date.from(at));
        } catch (CertificateExpiredException e) {
            problems.add("expired " + cert.getNotAfter().toInstant() + ", before the validation instant " + when
                    + " (signingTime not relied upon)");
        } catch (CertificateNotYetValidException e) {
            problems.add("not valid before " + cert.getNotBefore().toInstant() + ", after the validation instant " + when);
        }
        boolean[] ku = cert.getKeyUsage();
        if (ku != null && !(ku.length > 0 && ku[0]) && !(ku.length > 1 && ku[1])) {
            problems.add("keyUsage allows neither digitalSignature nor nonRepudiation");
        }
        try {
            List<String> eku = cert.getExtendedKeyUsage();
            if (eku != null && !eku.contains(EKU_EMAIL_PROTECTION) && !eku.contains(EKU_ANY)) {
                problems.add("extendedKeyUsage lacks emailProtection");
            }
        } catch (CertificateParsingException e) {
            problems.add("extendedKeyUsage unreadable");
        }
        if (bag.size() > MAX_CERTIFICATES) {
            problems.add("message carries " + bag.size() + " certificates, more than " + MAX_CERTIFICATES);
        } else {
            Optional<String> path = buildPath(cert, bag, at, problems);
            if (problems.isEmpty() && path.isPresent()) {
                return Check.pass(FailureCode.SMIME_UNTRUSTED, signer + " valid at " + when
                        + " (not the signer-asserted signingTime), usable for e-mail signing, " + path.get()
                        + (revocation ? ", revocation checked" : ", revocation not checked"));
            }
        }
        return Check.fail(FailureCode.SMIME_UNTRUSTED, signer + " not trusted at " + when + ": " + String.join("; ", problems));
    }

    private Optional<String> buildPath(X509Certificate cert, List<X509Certificate> bag, Instant at, List<String> problems) {
        try {
            X509CertSelector target = new X509CertSelector();
            target.setCertificate(cert);
            PKIXBuilderParameters params = new PKIXBuilderParameters(anchors, target);
            params.setDate(Date.from(at));
            params.setRevocationEnabled(revocation);
            params.addCertStore(CertStore.getInstance("Collection", new CollectionCertStoreParameters(bag)));
            PKIXCertPathBuilderResult result = (PKIXCertPathBuilderResult) CertPathBuilder.getInstance("PKIX").build(params);
            X509Certificate anchor = result.getTrustAnchor().getTrustedCert();
            String anchorName = anchor != null ? anchor.getSubjectX500Principal().getName()
                    : result.getTrustAnchor().getCAName();
            return Optional.of("PKIX path of " + result.getCertPath().getCertificates().size()
                    + " certificate(s) to trust anchor " + Untrusted.quote(anchorName));
        } catch (CertPathBuilderException e) {
            // The JDK's builder says only "unable to find valid certification path"; name the cause when we can.
            String reason = diagnose(cert, bag, Date.from(at));
            if (reason == null && !problems.isEmpty()) {
                reason = "none is valid at that instant";
            }
            problems.add("no PKIX path to any of " + anchors.size() + " trust anchor(s): "
                    + (reason != null ? reason : SmimeStructure.describe(e)));
        } catch (InvalidAlgorithmParameterException | NoSuchAlgorithmException | RuntimeException e) {
            // the JDK's PKIX builder throws unchecked on certificates it cannot handle: no path, so smime-untrusted
            problems.add("PKIX path building failed: " + SmimeStructure.describe(e));
        }
        return Optional.empty();
    }

    /**
     * Follows issuer names from the signer through the message's certificates; returns why the
     * chain breaks (an expired intermediate, or an issuer that is neither an anchor nor present),
     * or {@code null} when the chain reaches an anchor's name and the cause lies elsewhere.
     */
    private String diagnose(X509Certificate signer, List<X509Certificate> bag, Date at) {
        X509Certificate current = signer;
        for (int depth = 0; depth < MAX_CERTIFICATES; depth++) {
            if (current != signer) {
                try {
                    current.checkValidity(at);
                } catch (CertificateExpiredException | CertificateNotYetValidException e) {
                    return "chain certificate " + Untrusted.quote(current.getSubjectX500Principal().getName())
                            + " is not valid at that instant (" + current.getNotBefore().toInstant() + " to "
                            + current.getNotAfter().toInstant() + ")";
                }
            }
            X500Principal issuer = current.getIssuerX500Principal();
            if (anchorSubjects.contains(issuer)) {
                return null;
            }
            X509Certificate from = current;
            Optional<X509Certificate> next = bag.stream()
                    .filter(c -> c != from && !c.equals(from) && c.getSubjectX500Principal().equals(issuer))
                    .findFirst();
            if (next.isEmpty()) {
                return "chain ends at issuer " + Untrusted.quote(issuer.getName())
                        + ", which is neither a trust anchor nor in the message";
            }
            current = next.get();
        }
        return null;
    }

    /** smime-signer-mismatch (D5): any rfc822Name SAN equal to From. */
    public static Check signerMatchesFrom(X509Certificate cert, String fromAddress, String who) {
        List<String> names = new ArrayList<>();
        try {
            Collection<List<?>> sans = cert.getSubjectAlternativeNames();
            if (sans != null) {
                for (List<?> san : sans) {
                    if (san.size() >= 2 && Integer.valueOf(1).equals(san.get(0)) && san.get(1) instanceof String s) {
                        names.add(s);
                    }
                }
            }
        } catch (CertificateParsingException e) {
            return Check.fail(FailureCode.SMIME_SIGNER_MISMATCH, "signer certificate" + who
                    + " has an unreadable subjectAltName: " + SmimeStructure.describe(e));
        }
        if (fromAddress == null) {
            return Check.fail(FailureCode.SMIME_SIGNER_MISMATCH, "no single From address to compare with the signer's "
                    + names.size() + " rfc822Name SAN(s)");
        }
        for (String name : names) {
            if (Addresses.sameMailbox(name, fromAddress)) {
                return Check.pass(FailureCode.SMIME_SIGNER_MISMATCH, "signer certificate" + who + " rfc822Name SAN "
                        + Untrusted.quote(name) + " equals From " + Untrusted.quote(fromAddress) + " (D5)");
            }
        }
        return Check.fail(FailureCode.SMIME_SIGNER_MISMATCH, "no rfc822Name SAN of the signer certificate" + who
                + " equals From " + Untrusted.quote(fromAddress) + " (D5); SANs: "
                + (names.isEmpty() ? "none" : Untrusted.quote(String.join(", ", names))));
    }

    /** BC's name for an algorithm OID, e.g. {@code SHA256WITHECDSA}; the OID itself when BC has none. */
    private static String algorithmName(String oid) {
        try {
            return ALGORITHM_NAMES.getAlgorithmName(new ASN1ObjectIdentifier(oid));
        } catch (RuntimeException e) {
            // only the wording of a passing check: a malformed OID is shown as it came, nothing is decided on it
            return String.valueOf(oid);
        }
    }

    @SuppressWarnings("unchecked")
    public static Optional<X509CertificateHolder> signerCertificate(SignerInformation si, Store<X509CertificateHolder> certs) {
        try {
            Collection<X509CertificateHolder> matches = certs.getMatches(si.getSID());
            return matches.stream().findFirst();
        } catch (RuntimeException e) {
            // a signer identifier BC cannot match is a signer without certificate: the caller fails smime-invalid
            return Optional.empty();
        }
    }

    public static Optional<X509Certificate> toX509(X509CertificateHolder holder) {
        try {
            return Optional.of(new JcaX509CertificateConverter().getCertificate(holder));
        } catch (CertificateException | RuntimeException e) {
            // a certificate the JCA cannot read is left out: it can neither sign nor chain (smime-invalid, -untrusted)
            return Optional.empty();
        }
    }

    public static List<X509Certificate> certificates(Store<X509CertificateHolder> certs) {
        List<X509Certificate> out = new ArrayList<>();
        try {
            for (X509CertificateHolder h : certs.getMatches(null)) {
                toX509(h).ifPresent(out::add);
            }
        } catch (RuntimeException e) {
            // an unreadable bag leaves only the anchors; the path check then reports it
        }
        return out;
    }
}
