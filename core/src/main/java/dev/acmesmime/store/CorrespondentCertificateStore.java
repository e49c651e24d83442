package dev.acmesmime.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Correspondents' certificates learnt from verified signed mail (issue 16 §2), on H2 or PostgreSQL
 * like every store of the plugin. One address may have several (renewals, several devices); the
 * gateway encrypts to the current one.
 */
public interface CorrespondentCertificateStore {

    /** Stores {@code certificate}, or refreshes {@code harvestedAt} when its fingerprint is known. */
    void save(CorrespondentCertificate certificate);

    /** The certificate of {@code address} valid at {@code now} that ends last; empty when none is. */
    Optional<CorrespondentCertificate> current(String address, Instant now);

    /** Every stored certificate of {@code address}, newest harvest first. */
    List<CorrespondentCertificate> all(String address);

    /** Forgets every certificate of {@code address}; @return how many were deleted */
    int delete(String address);
}
