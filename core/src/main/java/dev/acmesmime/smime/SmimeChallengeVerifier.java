package dev.acmesmime.smime;

import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;


import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.util.Store;

import dev.acmesmime.rfc8823.AuthenticityVerifier;
import dev.acmesmime.rfc8823.Check;
import dev.acmesmime.rfc8823.FailureCode;
import dev.acmesmime.rfc8823.MessageKind;

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
    public static final int MAX_CERTIFICATES = SignerChecks.MAX_CERTIFICATES;
    /** Default for {@link Builder#maxMessageBytes(int)}. */
    public static final int DEFAULT_MAX_MESSAGE_BYTES = 4 * 1024 * 1024;
    /** Smallest RSA signing key accepted, in bits (RFC 8551 §6 calls smaller keys weak; S/MIME BR §6.1.5). */
    public static final int MIN_RSA_BITS = SignerChecks.MIN_RSA_BITS;


    private final SignerChecks checks;
    private final Clock clock;
    private final int maxMessageBytes;

    private SmimeChallengeVerifier(Builder b) {
        this.checks = new SignerChecks(b.anchors, b.revocation);
        this.clock = b.clock;
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
        List<X509Certificate> bag = SignerChecks.certificates(certs);

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
        Optional<X509CertificateHolder> holder = SignerChecks.signerCertificate(si, certs);
        Optional<X509Certificate> cert = holder.flatMap(SignerChecks::toX509);
        if (cert.isEmpty()) {
            String why = "signer certificate" + who + (holder.isEmpty() ? " is not in the message" : " is unreadable");
            return new SignerResult(si, List.of(
                    Check.fail(FailureCode.SMIME_INVALID, "signature not verified: " + why),
                    Check.fail(FailureCode.SMIME_UNTRUSTED, "not checked: " + why),
                    Check.fail(FailureCode.SMIME_SIGNER_MISMATCH, "not checked: " + why)));
        }
        X509Certificate c = cert.get();
        return new SignerResult(si, List.of(
                SignerChecks.signature(si, holder.get(), c, signed, who),
                checks.trust(c, bag, at, who),
                SignerChecks.signerMatchesFrom(c, fromAddress, who)));
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
            this.anchors = SignerChecks.anchors(certificates);
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
