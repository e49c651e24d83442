package dev.acmesmime.gateway;

import java.io.IOException;
import java.io.StringWriter;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.cms.AttributeTable;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.smime.SMIMEAttributes;
import org.bouncycastle.asn1.smime.SMIMECapabilities;
import org.bouncycastle.asn1.smime.SMIMECapability;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.util.Store;

import dev.acmesmime.rfc8823.Check;
import dev.acmesmime.smime.RawEntity;
import dev.acmesmime.smime.SignerChecks;
import dev.acmesmime.smime.SmimeChallengeVerifier;
import dev.acmesmime.smime.SmimeStructure;

/**
 * Learns a correspondent's certificate from an incoming signed mail (G6), with the same three checks
 * as the RFC 8823 challenge verifier ({@link SignerChecks}): the signature verifies over the exact
 * signed bytes ({@link GatewayCode#SIGNATURE_INVALID}); the signer's certificate chains through the
 * certificates in the CMS to a configured trust anchor with PKIX at the clock's instant, and is
 * usable for e-mail ({@link GatewayCode#UNTRUSTED}; revocation is not checked: no OCSP or CRL fetch
 * in the mail path); an rfc822Name of it equals From, case-insensitively in the domain
 * ({@link GatewayCode#ADDRESS_MISMATCH}). Both shapes are read: {@code multipart/signed} and opaque
 * {@code application/pkcs7-mime; smime-type=signed-data}. Whether the holder reads AES-GCM comes from
 * the signed SMIMECapabilities attribute. The first SignerInfo that passes all checks is kept.
 */
final class CertificateHarvest {

    private static final Set<ASN1ObjectIdentifier> GCM = Set.of(NISTObjectIdentifiers.id_aes128_GCM,
            NISTObjectIdentifiers.id_aes192_GCM, NISTObjectIdentifiers.id_aes256_GCM);

    private final SignerChecks checks;
    private final Clock clock;

    CertificateHarvest(SignerChecks checks, Clock clock) {
        this.checks = checks;
        this.clock = clock;
    }

    HarvestResult harvest(byte[] message, String fromAddress) {
        SmimeStructure.Extraction extraction = SmimeStructure.extract(RawEntity.parse(message));
        if (extraction instanceof SmimeStructure.NotSigned n) {
            return refused(GatewayCode.NOT_PROTECTED, "not S/MIME signed: " + n.reason());
        }
        if (extraction instanceof SmimeStructure.Malformed m) {
            return refused(GatewayCode.MALFORMED, "malformed " + m.shape().label() + ": " + m.reason());
        }
        SmimeStructure.Signed signed = (SmimeStructure.Signed) extraction;
        Collection<SignerInformation> signers = signed.cms().getSignerInfos().getSigners();
        @SuppressWarnings("unchecked")
        Store<X509CertificateHolder> certs = signed.cms().getCertificates();
        List<X509Certificate> bag = SignerChecks.certificates(certs);
        Instant now = clock.instant();
        HarvestResult first = null;
        int examined = 0;
        for (SignerInformation si : signers) {
            if (++examined > SmimeChallengeVerifier.MAX_SIGNERS) {
                break;
            }
            HarvestResult r = evaluate(si, certs, bag, signed, fromAddress, now);
            if (r.code() == GatewayCode.HARVESTED) {
                return r;
            }
            first = first == null ? r : first;
        }
        return first != null ? first : refused(GatewayCode.SIGNATURE_INVALID, "the signature has no SignerInfo");
    }

    private HarvestResult evaluate(SignerInformation si, Store<X509CertificateHolder> certs, List<X509Certificate> bag,
                                   SmimeStructure.Signed signed, String fromAddress, Instant now) {
        Optional<X509CertificateHolder> holder = SignerChecks.signerCertificate(si, certs);
        Optional<X509Certificate> cert = holder.flatMap(SignerChecks::toX509);
        if (cert.isEmpty()) {
            return refused(GatewayCode.SIGNATURE_INVALID, "the signer's certificate is not in the message or unreadable");
        }
        Check signature = SignerChecks.signature(si, holder.get(), cert.get(), signed, "");
        if (!signature.ok()) {
            return refused(GatewayCode.SIGNATURE_INVALID, signature.detail());
        }
        Check trust = checks.trust(cert.get(), bag, now, "");
        if (!trust.ok()) {
            return refused(GatewayCode.UNTRUSTED, trust.detail());
        }
        Check from = SignerChecks.signerMatchesFrom(cert.get(), fromAddress, "");
        if (!from.ok()) {
            return refused(GatewayCode.ADDRESS_MISMATCH, from.detail());
        }
        try {
            X509Certificate leaf = cert.get();
            CorrespondentCertificate c = new CorrespondentCertificate(fromAddress.toLowerCase(Locale.ROOT),
                    pem(leaf, bag), fingerprint(leaf), leaf.getNotBefore().toInstant(), leaf.getNotAfter().toInstant(),
                    gcmCapable(si.getSignedAttributes()), now);
            return new HarvestResult(GatewayCode.HARVESTED, "certificate of " + c.address() + " (SHA-256 "
                    + c.fingerprint().substring(0, 16) + "…) learnt: " + trust.detail(), Optional.of(c));
        } catch (IOException | CertificateEncodingException e) {
            return refused(GatewayCode.MALFORMED, "the signer's certificate cannot be encoded: " + SmimeStructure.describe(e));
        }
    }

    /** Whether the signed SMIMECapabilities attribute (RFC 8551 §2.5.2) lists an AES-GCM algorithm. */
    static boolean gcmCapable(AttributeTable signedAttributes) {
        if (signedAttributes == null) {
            return false;
        }
        Attribute attr = signedAttributes.get(SMIMEAttributes.smimeCapabilities);
        if (attr == null || attr.getAttrValues().size() != 1) {
            return false;
        }
        try {
            for (Object o : SMIMECapabilities.getInstance(attr.getAttrValues().getObjectAt(0)).getCapabilities(null)) {
                if (o instanceof SMIMECapability c && GCM.contains(c.getCapabilityID())) {
                    return true;
                }
            }
        } catch (RuntimeException e) {
            // an unreadable capabilities list promises nothing: CBC, which every S/MIME client reads
        }
        return false;
    }

    /** The leaf, then the other certificates the mail carried. */
    private static String pem(X509Certificate leaf, List<X509Certificate> bag) throws IOException {
        List<X509Certificate> chain = new ArrayList<>();
        chain.add(leaf);
        bag.stream().filter(c -> !c.equals(leaf)).forEach(chain::add);
        StringWriter w = new StringWriter();
        try (JcaPEMWriter out = new JcaPEMWriter(w)) {
            for (X509Certificate c : chain) {
                out.writeObject(c);
            }
        }
        return w.toString();
    }

    static String fingerprint(X509Certificate cert) throws CertificateEncodingException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(cert.getEncoded()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private static HarvestResult refused(GatewayCode code, String reason) {
        return new HarvestResult(code, reason, Optional.empty());
    }
}
