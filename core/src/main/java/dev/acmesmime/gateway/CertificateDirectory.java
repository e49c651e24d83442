package dev.acmesmime.gateway;

import dev.acmesmime.store.CorrespondentCertificateStore;

/**
 * Where the gateway finds certificates: local mailboxes' enrolled ones (with their keys) in the
 * enrolment store, correspondents' harvested ones in the {@link CorrespondentCertificateStore}.
 * Only certificates usable now are answered (G2): issued and not revoked, inside their validity,
 * with the stored key matching the leaf.
 */
public interface CertificateDirectory {

    /** The local {@code mailbox}'s certificate and key, to sign with or decrypt with. */
    Lookup<SigningIdentity> identity(String mailbox);

    /**
     * The certificate to encrypt to for {@code address}: the local mailbox's enrolled one, otherwise
     * the correspondent's current harvested one.
     */
    Lookup<RecipientCertificate> recipient(String address);
}
