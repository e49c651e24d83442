package dev.acmesmime.gateway;

import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

import dev.acmesmime.enrolment.IssuedCertificate;
import dev.acmesmime.enrolment.KeyCodec;
import dev.acmesmime.store.Enrolment;
import dev.acmesmime.store.EnrolmentStep;
import dev.acmesmime.store.EnrolmentStore;

/**
 * The gateway's certificates: local mailboxes' enrolled ones from the {@link EnrolmentStore}, correspondents'
 * harvested ones from the {@link CorrespondentCertificateStore}. G2 is decided here and only here: a local
 * certificate is used when its enrolment holds a certificate and a key, is issued or renewing (a renewal keeps
 * the certificate in use and its key until the new one is stored), the leaf is inside its validity now, and
 * the stored key is the leaf's. A revoked certificate's enrolment is back at {@code NONE} (or deleted), so it is
 * never used. Nothing is cached: every answer reflects the store now.
 */
public final class EnrolledCertificateDirectory implements CertificateDirectory {
    private final EnrolmentStore enrolments;
    private final CorrespondentCertificateStore correspondents;
    private final Clock clock;

    public EnrolledCertificateDirectory(EnrolmentStore enrolments, CorrespondentCertificateStore correspondents,
                                        Clock clock) {
        this.enrolments = enrolments;
        this.correspondents = correspondents;
        this.clock = clock;
    }

    @Override
    public Lookup<SigningIdentity> identity(String mailbox) {
        String address = normalise(mailbox);
        Optional<Enrolment> found = enrolments.find(address);
        if (found.isEmpty() || !usable(found.get())) {
            return Lookup.missing(GatewayCode.NO_CERTIFICATE, address + " has no issued certificate");
        }
        Enrolment e = found.get();
        IssuedCertificate chain;
        KeyPair key;
        try {
            chain = IssuedCertificate.parse(e.certificatePem().orElseThrow());
            key = KeyCodec.decode(e.privateKey().orElseThrow());
        } catch (IllegalStateException unreadable) {
            return Lookup.missing(GatewayCode.NO_CERTIFICATE, address + "'s stored certificate or key is unreadable: "
                    + unreadable.getMessage());
        }
        X509Certificate leaf = chain.leaf();
        Optional<Lookup<SigningIdentity>> invalid = validity(address, leaf);
        if (invalid.isPresent()) {
            return invalid.get();
        }
        if (!Arrays.equals(key.getPublic().getEncoded(), leaf.getPublicKey().getEncoded())) {
            return Lookup.missing(GatewayCode.KEY_MISMATCH, address + "'s stored key is not the key of certificate "
                    + chain.serial());
        }
        return Lookup.found(new SigningIdentity(address, key.getPrivate(), chain.chain()));
    }

    /** A certificate and its key are stored and current: issued, or being renewed (the old one stays in use). */
    private static boolean usable(Enrolment e) {
        return e.certificatePem().isPresent() && e.privateKey().isPresent()
                && e.step() != EnrolmentStep.NONE && e.step() != EnrolmentStep.FAILED;
    }

    private <T> Optional<Lookup<T>> validity(String address, X509Certificate leaf) {
        Instant now = clock.instant();
        if (now.isBefore(leaf.getNotBefore().toInstant())) {
            return Optional.of(Lookup.missing(GatewayCode.CERTIFICATE_NOT_YET_VALID, address + "'s certificate is valid"
                    + " from " + leaf.getNotBefore().toInstant()));
        }
        if (now.isAfter(leaf.getNotAfter().toInstant())) {
            return Optional.of(Lookup.missing(GatewayCode.CERTIFICATE_EXPIRED, address + "'s certificate expired at "
                    + leaf.getNotAfter().toInstant()));
        }
        return Optional.empty();
    }

    @Override
    public Lookup<RecipientCertificate> recipient(String address) {
        String recipient = normalise(address);
        Lookup<SigningIdentity> local = identity(recipient);
        if (local.found()) {
            // a local mailbox reads mail through this gateway, which reads AES-GCM (G7)
            return Lookup.found(new RecipientCertificate(recipient, local.value().orElseThrow().leaf(), true));
        }
        Optional<CorrespondentCertificate> harvested = correspondents.current(recipient, clock.instant());
        if (harvested.isEmpty()) {
            return Lookup.missing(GatewayCode.NO_RECIPIENT_CERTIFICATE, "no valid certificate is known for " + recipient
                    + (local.code() == GatewayCode.NO_CERTIFICATE ? "" : " (" + local.reason() + ")"));
        }
        X509Certificate leaf;
        try {
            leaf = IssuedCertificate.parse(harvested.get().certificatePem()).leaf();
        } catch (IllegalStateException | IllegalArgumentException unreadable) {
            return Lookup.missing(GatewayCode.NO_RECIPIENT_CERTIFICATE, "the stored certificate of " + recipient
                    + " is unreadable");
        }
        return Lookup.found(new RecipientCertificate(recipient, leaf, harvested.get().gcmCapable()));
    }

    private static String normalise(String address) {
        return address.trim().toLowerCase(Locale.ROOT);
    }
}
