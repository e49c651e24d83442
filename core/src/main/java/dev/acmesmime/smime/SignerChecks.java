package dev.acmesmime.smime;

import java.security.Provider;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.CertificateParsingException;
import java.security.cert.TrustAnchor;
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

    private final PkixPath path;
    private final boolean revocation;

    /** @param revocation whether the JDK PKIX revocation checker runs (OCSP/CRL fetches) */
    public SignerChecks(Set<TrustAnchor> anchors, boolean revocation) {
        this.path = new PkixPath(anchors, revocation);
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
            Optional<String> chain = path.build(cert, bag, at, problems);
            if (problems.isEmpty() && chain.isPresent()) {
                return Check.pass(FailureCode.SMIME_UNTRUSTED, signer + " valid at " + when
                        + " (not the signer-asserted signingTime), usable for e-mail signing, " + chain.get()
                        + (revocation ? ", revocation checked" : ", revocation not checked"));
            }
        }
        return Check.fail(FailureCode.SMIME_UNTRUSTED, signer + " not trusted at " + when + ": " + String.join("; ", problems));
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
