package dev.acmesmime.store;

import java.net.URI;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A mailbox's enrolment: its ACME account and order, its certificate and the matching private key.
 * The private key is encrypted at rest under the {@link MasterKey}, bound to the mailbox.
 *
 * @param mailbox             the address being enrolled (the key, at most 320 characters)
 * @param state               where the enrolment stands
 * @param accountUrl          the ACME account URL
 * @param orderUrl            the current ACME order URL
 * @param certificatePem      the issued certificate chain, PEM
 * @param certificateNotAfter the end of the certificate's validity
 * @param privateKey          the private key (PKCS#8 DER), a {@link SecretBytes} that never prints
 * @param lastError           one line about the last failure
 * @param updatedAt           when it was last saved (set by the store)
 */
public record Enrolment(String mailbox, EnrolmentState state, Optional<URI> accountUrl, Optional<URI> orderUrl,
                        Optional<String> certificatePem, Optional<Instant> certificateNotAfter,
                        Optional<SecretBytes> privateKey, Optional<String> lastError, Instant updatedAt) {

    public Enrolment {
        Objects.requireNonNull(mailbox, "mailbox");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(accountUrl, "accountUrl");
        Objects.requireNonNull(orderUrl, "orderUrl");
        Objects.requireNonNull(certificatePem, "certificatePem");
        Objects.requireNonNull(certificateNotAfter, "certificateNotAfter");
        Objects.requireNonNull(privateKey, "privateKey");
        Objects.requireNonNull(lastError, "lastError");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }

    /** A new enrolment for {@code mailbox} in state {@link EnrolmentState#NEW}. */
    public static Enrolment of(String mailbox) {
        return new Enrolment(mailbox, EnrolmentState.NEW, Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Instant.EPOCH);
    }

    public Enrolment withState(EnrolmentState newState) {
        return new Enrolment(mailbox, newState, accountUrl, orderUrl, certificatePem, certificateNotAfter, privateKey,
                lastError, updatedAt);
    }

    public Enrolment withAccountUrl(URI url) {
        return new Enrolment(mailbox, state, Optional.ofNullable(url), orderUrl, certificatePem, certificateNotAfter,
                privateKey, lastError, updatedAt);
    }

    public Enrolment withOrderUrl(URI url) {
        return new Enrolment(mailbox, state, accountUrl, Optional.ofNullable(url), certificatePem, certificateNotAfter,
                privateKey, lastError, updatedAt);
    }

    public Enrolment withCertificate(String pem, Instant notAfter) {
        return new Enrolment(mailbox, state, accountUrl, orderUrl, Optional.ofNullable(pem),
                Optional.ofNullable(notAfter), privateKey, lastError, updatedAt);
    }

    public Enrolment withPrivateKey(SecretBytes key) {
        return new Enrolment(mailbox, state, accountUrl, orderUrl, certificatePem, certificateNotAfter,
                Optional.ofNullable(key), lastError, updatedAt);
    }

    public Enrolment withLastError(String error) {
        return new Enrolment(mailbox, state, accountUrl, orderUrl, certificatePem, certificateNotAfter, privateKey,
                Optional.ofNullable(error), updatedAt);
    }
}
