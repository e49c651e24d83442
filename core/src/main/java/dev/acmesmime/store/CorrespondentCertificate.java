package dev.acmesmime.store;

import java.time.Instant;
import java.util.Objects;

/**
 * A correspondent's certificate, learnt from a verified signed mail (G6) and kept in the store.
 *
 * @param address        the correspondent's mailbox, lower case (the certificate's rfc822Name, equal to From)
 * @param certificatePem the signer's certificate chain as the mail carried it, PEM, leaf first
 * @param fingerprint    SHA-256 of the leaf's DER, lower-case hex: the row's identity
 * @param notBefore      the leaf's validity start
 * @param notAfter       the leaf's validity end
 * @param gcmCapable     whether the signature's SMIMECapabilities listed AES-GCM
 * @param harvestedAt    when it was (last) seen in a verified mail
 */
public record CorrespondentCertificate(String address, String certificatePem, String fingerprint,
                                       Instant notBefore, Instant notAfter, boolean gcmCapable,
                                       Instant harvestedAt) {

    public CorrespondentCertificate {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(certificatePem, "certificatePem");
        Objects.requireNonNull(fingerprint, "fingerprint");
        Objects.requireNonNull(notBefore, "notBefore");
        Objects.requireNonNull(notAfter, "notAfter");
        Objects.requireNonNull(harvestedAt, "harvestedAt");
    }

    /** Whether the leaf is valid at {@code now}. */
    public boolean validAt(Instant now) {
        return !now.isBefore(notBefore) && !now.isAfter(notAfter);
    }
}
