package dev.acmesmime.smime;

import java.security.InvalidAlgorithmParameterException;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertPathBuilder;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertStore;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.PKIXCertPathBuilderResult;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CertSelector;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import javax.security.auth.x500.X500Principal;
import dev.acmesmime.rfc8823.Untrusted;

/**
 * The PKIX part of {@link SignerChecks#trust}: builds a path from a signer's certificate through the
 * certificates its message carried to a trust anchor, validated at a given instant (the JDK's
 * builder; revocation only when switched on), and names the cause when there is none.
 */
final class PkixPath {

    private final Set<TrustAnchor> anchors;
    private final Set<X500Principal> anchorSubjects;
    private final boolean revocation;

    PkixPath(Set<TrustAnchor> anchors, boolean revocation) {
        this.anchors = Set.copyOf(anchors);
        this.anchorSubjects = this.anchors.stream().map(a -> a.getTrustedCert().getSubjectX500Principal())
                .collect(Collectors.toUnmodifiableSet());
        this.revocation = revocation;
    }

    /** A description of the path found, or empty after adding why there is none to {@code problems}. */
    Optional<String> build(X509Certificate cert, List<X509Certificate> bag, Instant at, List<String> problems) {
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
        for (int depth = 0; depth < SignerChecks.MAX_CERTIFICATES; depth++) {
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
}
