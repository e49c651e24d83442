package dev.acmesmime.testca.acme;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * revokeCert (RFC 8555 §7.6): {@code {"certificate": base64url(DER), "reason"?}}, signed either by the account
 * that ordered the certificate ({@code kid}) or by the certificate's own key ({@code jwk} equal to its public
 * key); anyone else is unauthorized. A certificate this CA did not issue is malformed; one already revoked is
 * alreadyRevoked; a reason outside RFC 5280 §5.3.1 (0–10 but 7) is badRevocationReason.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8555#section-7.6">RFC 8555 §7.6</a>
 */
public final class Revocation {
    private static final Logger LOG = LoggerFactory.getLogger(Revocation.class);

    private final PostGate gate;
    private final IssuedCertificates certificates;

    public Revocation(PostGate gate, IssuedCertificates certificates) {
        this.gate = gate;
        this.certificates = certificates;
    }

    public void revoke(Exchange ex) {
        SignedRequest req = gate.open(ex, JwsVerifier.KeyHeader.EITHER);
        JsonNode p = req.json();
        X509Certificate cert = certificate(p.path("certificate").asText(""));
        IssuedRecord record = certificates.bySerial(cert.getSerialNumber())
                .filter(r -> sameEncoding(r.certificate().leaf(), cert))
                .orElseThrow(() -> Problem.of(ProblemType.MALFORMED, "the certificate was not issued by this CA")
                        .exception());
        int reason = p.path("reason").asInt(0);
        if (reason < 0 || reason > 10 || reason == 7 || p.has("reason") && !p.get("reason").isInt()) {
            throw Problem.of(ProblemType.BAD_REVOCATION_REASON, "reason must be an RFC 5280 CRLReason code: 0-6, "
                    + "8-10").exception();
        }
        String by = authorise(req, record, cert);
        AtomicBoolean changed = new AtomicBoolean();
        certificates.update(record.id(), r -> {
            if (r.revoked()) {
                return r;
            }
            changed.set(true);
            return r.revoke(reason);
        });
        if (!changed.get()) {
            throw Problem.of(ProblemType.ALREADY_REVOKED, "certificate " + cert.getSerialNumber().toString(16)
                    + " is already revoked").exception();
        }
        LOG.info("revokeCert certificate={} serial={} reason={} by={}", record.id(), cert.getSerialNumber()
                .toString(16), reason, by);
        ex.empty(200);
    }

    private static String authorise(SignedRequest req, IssuedRecord record, X509Certificate cert) {
        Optional<Account> account = req.account();
        if (account.isPresent()) {
            if (account.get().id().equals(record.accountId())) {
                return "account " + account.get().id();
            }
            throw Problem.of(ProblemType.UNAUTHORIZED, "this account did not order the certificate").exception();
        }
        if (Arrays.equals(req.key().getPublicKey().getEncoded(), cert.getPublicKey().getEncoded())) {
            return "certificate key";
        }
        throw Problem.of(ProblemType.UNAUTHORIZED, "the jwk is not the certificate's key").exception();
    }

    private static boolean sameEncoding(X509Certificate a, X509Certificate b) {
        try {
            return Arrays.equals(a.getEncoded(), b.getEncoded());
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static X509Certificate certificate(String base64url) {
        try {
            byte[] der = Base64.getUrlDecoder().decode(base64url);
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(der));
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            throw Problem.of(ProblemType.MALFORMED, "certificate must be the base64url DER of an X.509 certificate")
                    .exception();
        }
    }
}
