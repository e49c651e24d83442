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
import java.time.Clock;
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
import dev.acmesmime.rfc8823.AuthenticityVerifier;
import dev.acmesmime.rfc8823.Check;
import dev.acmesmime.rfc8823.FailureCode;
import dev.acmesmime.rfc8823.MessageKind;
import dev.acmesmime.rfc8823.Untrusted;

/**
 * Verifies the S/MIME signature of an RFC 8823 challenge: RFC 8823 §3.1 items 6–7 (C15, C17) and
 * §4 (D5). Plain CMS and PKIX from BouncyCastle 1.70 (no bcmail, no javax.mail), so the plugin
 * needs no jar that James 3.8.1 lacks.
 *
 * <pre>{@code
 * SmimeChallengeVerifier smime = SmimeChallengeVerifier.builder()
 *         .trustAnchors(TrustAnchors.fromPem(Path.of("/etc/james/acme/smime-roots.pem"))) // default: JDK cacerts
 *         .clock(clock)                     // default: Clock.systemUTC()
 *         .revocationChecking(false)        // default: off
 *         .maxMessageBytes(4 * 1024 * 1024) // default: 4 MiB
 *         .build();
 * List<Check> checks = smime.verify(raw, MessageKind.CHALLENGE, "acme-generator@example.org");
 * }</pre>
 *
 * <h2>What is verified</h2>
 * For a top-level {@code multipart/signed} ({@code protocol="application/pkcs7-signature"}, or the
 * {@code x-} variant) or {@code application/pkcs7-mime; smime-type=signed-data}, it returns four checks:
 * <table>
 * <caption>checks and their codes</caption>
 * <tr><th>code</th><th>passes when</th></tr>
 * <tr><td>{@code smime-invalid}</td><td>the CMS SignedData parses, a SignerInfo verifies over the exact
 *   signed bytes (multipart/signed: the first body part with its header, bare LFs restored to CRLF,
 *   RFC 8551 §3.1.1), its digest is not MD5 or SHA-1 and an RSA key has at least 2048 bits. Its passing
 *   check is what makes the mail authentic ({@link dev.acmesmime.rfc8823.Verdict#valid()}).</td></tr>
 * <tr><td>{@code smime-untrusted}</td><td>the signer certificate is valid at the {@link Clock}'s instant,
 *   is usable for e-mail signing (keyUsage digitalSignature or nonRepudiation, extendedKeyUsage
 *   emailProtection or anyExtendedKeyUsage, each if present), and a PKIX path from it through the
 *   certificates in the CMS reaches a configured trust anchor, validated at that same instant.</td></tr>
 * <tr><td>{@code smime-signer-mismatch}</td><td>some rfc822Name subjectAltName of the signer certificate
 *   (any of them, not only the first) equals the From address: local part exact, domain
 *   case-insensitive (D5, X20).</td></tr>
 * <tr><td>{@code smime-headers-unprotected}</td><td>From, To and Subject are protected and equal the
 *   outer ones, see {@link HeaderProtection} (C17, X14).</td></tr>
 * </table>
 * Every check runs even after another failed, so one verdict lists every problem. When the
 * signature cannot be parsed at all, or the mail is not S/MIME signed, only a failing
 * {@code smime-invalid} is returned: the other checks are about a signer that does not exist.
 * When the signer certificate is missing, {@code smime-untrusted} and {@code smime-signer-mismatch}
 * fail as "not checked". With several SignerInfos (at most {@value #MAX_SIGNERS}), the first that
 * passes all signer checks is used, else the one with the most passing checks.
 *
 * <h2>Security notes</h2>
 * <ul>
 * <li>The validation instant is the injected {@link Clock}, never the CMS {@code signingTime}: that
 * time is asserted by the signer, and a key holder whose certificate expired could back-date it.
 * (BouncyCastle's own SignerInfo check does compare the certificate with a present signingTime,
 * so a signingTime outside the certificate's validity fails {@code smime-invalid} as well.)</li>
 * <li>Revocation is not checked by default: RFC 8823 names no trust anchors or revocation policy
 * (X14), and checking means OCSP/CRL fetches in the mail path. When switched on, the JDK's PKIX
 * revocation checker runs (OCSP from AIA; CRLs from CRL distribution points only with the system
 * property {@code com.sun.security.enableCRLDP=true}), and an unknown status fails {@code smime-untrusted}.</li>
 * <li>Responses are never authenticated by S/MIME: RFC 8823 §3.2 item 9 requires DKIM (R15, D6).
 * For {@link MessageKind#RESPONSE} a single failing {@code smime-invalid} check says so.</li>
 * <li>Bad input never throws: garbage, truncated, oversized ({@link Builder#maxMessageBytes}) or
 * deeply nested input yields failing checks. Work is bounded by the size limit, {@value #MAX_SIGNERS}
 * signers and {@value #MAX_CERTIFICATES} certificates.</li>
 * </ul>
 * Thread-safe and reusable.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8823#section-3.1">RFC 8823 §3.1</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8551#section-3.5">RFC 8551 §3.5</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7508">RFC 7508</a>
 */
public final class SmimeChallengeVerifier implements AuthenticityVerifier {

    /** Most SignerInfos examined in one message. */
    public static final int MAX_SIGNERS = 4;
    /** Most certificates taken from one message's CMS for path building. */
    public static final int MAX_CERTIFICATES = 32;
    /** Default for {@link Builder#maxMessageBytes(int)}. */
    public static final int DEFAULT_MAX_MESSAGE_BYTES = 4 * 1024 * 1024;
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
    private final Clock clock;
    private final boolean revocation;
    private final int maxMessageBytes;

    private SmimeChallengeVerifier(Builder b) {
        this.anchors = b.anchors;
        this.anchorSubjects = anchors.stream().map(a -> a.getTrustedCert().getSubjectX500Principal())
                .collect(Collectors.toUnmodifiableSet());
        this.clock = b.clock;
        this.revocation = b.revocation;
        this.maxMessageBytes = b.maxMessageBytes;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * {@code true} when the top-level Content-Type is an S/MIME signature (multipart/signed with a
     * pkcs7-signature protocol, or application/pkcs7-mime with smime-type signed-data or none).
     * Looks at the header only; says nothing about validity. Never throws.
     */
    public static boolean isSmimeSigned(byte[] rawMessage) {
        if (rawMessage == null) {
            return false;
        }
        try {
            return SmimeStructure.shape(RawEntity.parse(rawMessage)).isPresent();
        } catch (RuntimeException e) {
            // unparseable headers are no S/MIME signature: the mail goes the DKIM way, which must then prove it (C15)
            return false;
        }
    }

    /**
     * @param rawMessage  the message exactly as received
     * @param kind        {@link MessageKind#RESPONSE} always fails (R15, D6); other kinds are verified
     * @param fromAddress the From addr-spec the signer must match (D5); {@code null} fails that check
     */
    @Override
    public List<Check> verify(byte[] rawMessage, MessageKind kind, String fromAddress) {
        if (kind == MessageKind.RESPONSE) {
            return List.of(Check.fail(FailureCode.SMIME_INVALID,
                    "S/MIME does not authenticate a response: RFC 8823 §3.2 item 9 requires DKIM (R15, D6)"));
        }
        if (rawMessage == null || rawMessage.length == 0) {
            return List.of(Check.fail(FailureCode.SMIME_INVALID, "not S/MIME signed: empty message"));
        }
        if (rawMessage.length > maxMessageBytes) {
            return List.of(Check.fail(FailureCode.SMIME_INVALID, "S/MIME not verified: message of "
                    + rawMessage.length + " bytes exceeds the limit of " + maxMessageBytes + " bytes"));
        }
        try {
            RawEntity outer = RawEntity.parse(rawMessage);
            SmimeStructure.Extraction extraction = SmimeStructure.extract(outer);
            if (extraction instanceof SmimeStructure.NotSigned n) {
                return List.of(Check.fail(FailureCode.SMIME_INVALID, "not S/MIME signed: " + n.reason()));
            }
            if (extraction instanceof SmimeStructure.Malformed m) {
                return List.of(Check.fail(FailureCode.SMIME_INVALID, "malformed " + m.shape().label() + ": " + m.reason()));
            }
            return verifySigned(outer, (SmimeStructure.Signed) extraction, fromAddress);
        } catch (RuntimeException | StackOverflowError e) {
            // Every known failure is mapped above; this is the fail-closed net for input nobody foresaw,
            // so a mail gets a verdict (and the class name shows up for a bug report) instead of a crash.
            return List.of(Check.fail(FailureCode.SMIME_INVALID, "S/MIME verification aborted: " + SmimeStructure.describe(e)));
        }
    }

    private List<Check> verifySigned(RawEntity outer, SmimeStructure.Signed signed, String fromAddress) {
        Collection<SignerInformation> signers;
        Store<X509CertificateHolder> certs;
        try {
            signers = signed.cms().getSignerInfos().getSigners();
            certs = signed.cms().getCertificates();
        } catch (RuntimeException e) {
            // BC parses SignerInfos lazily and throws unchecked on a hostile encoding: no readable signer, no proof
            return List.of(Check.fail(FailureCode.SMIME_INVALID, "malformed " + signed.shape().label()
                    + ": SignerInfos unreadable: " + SmimeStructure.describe(e)));
        }
        if (signers.isEmpty() || signers.size() > MAX_SIGNERS) {
            return List.of(Check.fail(FailureCode.SMIME_INVALID, signed.shape().label() + " has " + signers.size()
                    + " SignerInfos (need 1 to " + MAX_SIGNERS + ")"));
        }
        Instant at = clock.instant();
        List<X509Certificate> bag = certificates(certs);

        SignerResult best = null;
        int index = 0;
        for (SignerInformation si : signers) {
            index++;
            String who = signers.size() == 1 ? "" : " (SignerInfo " + index + " of " + signers.size() + ")";
            SignerResult r = evaluate(si, certs, bag, signed, fromAddress, at, who);
            if (best == null || r.passed() > best.passed()) {
                best = r;
            }
            if (r.passed() == r.checks().size()) {
                break;
            }
        }
        List<Check> checks = new ArrayList<>(best.checks());
        checks.add(HeaderProtection.check(outer, signed.content(), best.signer().getSignedAttributes()));
        return List.copyOf(checks);
    }

    private record SignerResult(SignerInformation signer, List<Check> checks) {
        int passed() {
            return (int) checks.stream().filter(Check::ok).count();
        }
    }

    private SignerResult evaluate(SignerInformation si, Store<X509CertificateHolder> certs, List<X509Certificate> bag,
                                  SmimeStructure.Signed signed, String fromAddress, Instant at, String who) {
        Optional<X509CertificateHolder> holder = signerCertificate(si, certs);
        Optional<X509Certificate> cert = holder.flatMap(SmimeChallengeVerifier::toX509);
        if (cert.isEmpty()) {
            String why = "signer certificate" + who + (holder.isEmpty() ? " is not in the message" : " is unreadable");
            return new SignerResult(si, List.of(
                    Check.fail(FailureCode.SMIME_INVALID, "signature not verified: " + why),
                    Check.fail(FailureCode.SMIME_UNTRUSTED, "not checked: " + why),
                    Check.fail(FailureCode.SMIME_SIGNER_MISMATCH, "not checked: " + why)));
        }
        X509Certificate c = cert.get();
        return new SignerResult(si, List.of(
                signature(si, holder.get(), c, signed, who),
                trust(c, bag, at, who),
                signerMatchesFrom(c, fromAddress, who)));
    }

    /** smime-invalid: the cryptographic check, and only that. */
    private static Check signature(SignerInformation si, X509CertificateHolder holder, X509Certificate cert,
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
    private Check trust(X509Certificate cert, List<X509Certificate> bag, Instant at, String who) {
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
    private static Check signerMatchesFrom(X509Certificate cert, String fromAddress, String who) {
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
    private static Optional<X509CertificateHolder> signerCertificate(SignerInformation si, Store<X509CertificateHolder> certs) {
        try {
            Collection<X509CertificateHolder> matches = certs.getMatches(si.getSID());
            return matches.stream().findFirst();
        } catch (RuntimeException e) {
            // a signer identifier BC cannot match is a signer without certificate: the caller fails smime-invalid
            return Optional.empty();
        }
    }

    private static Optional<X509Certificate> toX509(X509CertificateHolder holder) {
        try {
            return Optional.of(new JcaX509CertificateConverter().getCertificate(holder));
        } catch (CertificateException | RuntimeException e) {
            // a certificate the JCA cannot read is left out: it can neither sign nor chain (smime-invalid, -untrusted)
            return Optional.empty();
        }
    }

    private static List<X509Certificate> certificates(Store<X509CertificateHolder> certs) {
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

    /** Builder with strict defaults: JDK trust store, system UTC clock, no revocation fetches. */
    public static final class Builder {
        private Set<TrustAnchor> anchors;
        private Clock clock = Clock.systemUTC();
        private boolean revocation;
        private int maxMessageBytes = DEFAULT_MAX_MESSAGE_BYTES;

        private Builder() {
        }

        /**
         * The certificates a signer must chain to, replacing the default (the JDK's trust store,
         * {@link TrustAnchors#jdkDefault()}). See {@link TrustAnchors} for PEM bundles and KeyStores.
         *
         * @throws IllegalArgumentException when empty: nothing could ever be trusted
         */
        public Builder trustAnchors(Collection<X509Certificate> certificates) {
            Set<TrustAnchor> set = new HashSet<>();
            for (X509Certificate c : Objects.requireNonNull(certificates, "certificates")) {
                set.add(new TrustAnchor(c, null));
            }
            if (set.isEmpty()) {
                throw new IllegalArgumentException("no trust anchors given");
            }
            this.anchors = Set.copyOf(set);
            return this;
        }

        /** The source of the validation instant; default {@link Clock#systemUTC()}. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Whether the JDK PKIX revocation checker runs (network I/O); default {@code false}. */
        public Builder revocationChecking(boolean enabled) {
            this.revocation = enabled;
            return this;
        }

        /** Larger messages fail {@code smime-invalid} without parsing; default {@value SmimeChallengeVerifier#DEFAULT_MAX_MESSAGE_BYTES}. */
        public Builder maxMessageBytes(int max) {
            if (max <= 0) {
                throw new IllegalArgumentException("maxMessageBytes must be positive");
            }
            this.maxMessageBytes = max;
            return this;
        }

        public SmimeChallengeVerifier build() {
            if (anchors == null) {
                trustAnchors(TrustAnchors.jdkDefault());
            }
            return new SmimeChallengeVerifier(this);
        }
    }
}
