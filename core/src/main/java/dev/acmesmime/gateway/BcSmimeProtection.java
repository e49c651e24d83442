package dev.acmesmime.gateway;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

import dev.acmesmime.smime.RawEntity;
import dev.acmesmime.smime.SignerChecks;
import dev.acmesmime.smime.SmimeStructure;
import dev.acmesmime.smime.TrustAnchors;

/**
 * The gateway's S/MIME operations on BouncyCastle 1.70's CMS (bcpkix, as James 3.8.1 ships it; no
 * bcmail): a facade over {@link SmimeSigner} (G4, G5), {@link SmimeEncryptor} (G7),
 * {@link SmimeDecryptor} (G9) and {@link CertificateHarvest} (G6).
 *
 * <pre>{@code
 * SmimeProtection smime = BcSmimeProtection.builder()
 *         .trustAnchors(TrustAnchors.fromPem(Path.of("/etc/james/acme/smime-roots.pem"))) // default: JDK cacerts
 *         .clock(clock)                                                                   // default: system UTC
 *         .build();
 * }</pre>
 * The trust anchors decide which correspondents' certificates are harvested; the clock is the
 * instant certificates are validated at and the signingTime of our signatures. Revocation of
 * correspondents' certificates is not checked (no OCSP or CRL fetch in the mail path).
 * No operation throws for bad mail: it answers {@link GatewayCode#MALFORMED} with a one-line reason.
 * Thread-safe.
 */
public final class BcSmimeProtection implements SmimeProtection {

    private final SmimeSigner signer;
    private final SmimeEncryptor encryptor = new SmimeEncryptor();
    private final SmimeDecryptor decryptor = new SmimeDecryptor();
    private final CertificateHarvest harvest;

    private BcSmimeProtection(Builder b) {
        this.signer = new SmimeSigner(b.clock);
        this.harvest = new CertificateHarvest(new SignerChecks(SignerChecks.anchors(b.anchors), false), b.clock);
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public boolean isProtected(byte[] message) {
        try {
            RawEntity entity = RawEntity.parse(message);
            String type = entity.contentType().getMimeType().toLowerCase(Locale.ROOT);
            return type.equals("multipart/signed") || type.equals("application/pkcs7-mime")
                    || type.equals("application/x-pkcs7-mime");
        } catch (RuntimeException e) {
            // unreadable headers: nothing to protect the mail from, the operations answer MALFORMED themselves
            return false;
        }
    }

    @Override
    public GatewayResult sign(byte[] message, SigningIdentity identity, boolean headerProtection) {
        try {
            return signer.sign(message, identity, headerProtection);
        } catch (RuntimeException | StackOverflowError e) {
            return malformed(e);
        }
    }

    @Override
    public GatewayResult encrypt(byte[] message, List<RecipientCertificate> recipients) {
        try {
            return encryptor.encrypt(message, recipients);
        } catch (RuntimeException | StackOverflowError e) {
            return malformed(e);
        }
    }

    @Override
    public GatewayResult decrypt(byte[] message, SigningIdentity identity) {
        try {
            return decryptor.decrypt(message, identity);
        } catch (RuntimeException | StackOverflowError e) {
            return malformed(e);
        }
    }

    @Override
    public HarvestResult harvest(byte[] message, String fromAddress) {
        try {
            return harvest.harvest(message, fromAddress);
        } catch (RuntimeException | StackOverflowError e) {
            return new HarvestResult(GatewayCode.MALFORMED, "not read: " + SmimeStructure.describe(e), Optional.empty());
        }
    }

    /** The net for input nobody foresaw: the mail passes unchanged with the exception's name, never a crash. */
    private static GatewayResult malformed(Throwable e) {
        return GatewayResult.unchanged(GatewayCode.MALFORMED, "not read: " + SmimeStructure.describe(e));
    }

    /** Defaults: the JDK's trust store, the system UTC clock. */
    public static final class Builder {
        private List<X509Certificate> anchors;
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        /** The roots a correspondent's certificate must chain to before it is harvested (G6). */
        public Builder trustAnchors(List<X509Certificate> anchors) {
            this.anchors = List.copyOf(anchors);
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        public BcSmimeProtection build() {
            if (anchors == null) {
                anchors = TrustAnchors.jdkDefault();
            }
            return new BcSmimeProtection(this);
        }
    }
}
