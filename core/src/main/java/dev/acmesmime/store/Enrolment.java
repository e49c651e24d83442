package dev.acmesmime.store;

import java.net.URI;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A mailbox's enrolment: which CA profile serves it, the step it is at and when it is next worked
 * on, its live ACME order, the CA's last problem, its certificate and the matching private key.
 * The private key is sealed at rest under the {@link MasterKey}, bound to the mailbox.
 *
 * @param mailbox           the address being enrolled (the key, at most 320 characters)
 * @param profile           the CA profile that serves it
 * @param step              where the enrolment stands
 * @param attempts          failed attempts at the current step, for back-off (0 after progress)
 * @param nextAttemptAt     when the engine may work on it next ({@link EnrolmentStep#ISSUED}: the
 *                          renewal time); empty: never on its own
 * @param accountUrl        the ACME account that placed the order
 * @param orderUrl          the live (or last) ACME order
 * @param challengeUrl      the order's email-reply-00 challenge
 * @param problemType       the CA's problem type ({@code urn:ietf:params:acme:error:...}), if it gave one
 * @param problemDetail     one line about the last failure (the CA's problem detail, or ours)
 * @param certificatePem    the issued certificate chain, PEM, leaf first
 * @param certificateSerial the leaf's serial number, hex
 * @param ariCertId         the leaf's ARI certificate id (RFC 9773 §4.1)
 * @param notBefore         the start of the leaf's validity
 * @param notAfter          the end of the leaf's validity
 * @param replacesCertId    the ARI id of the certificate the live order replaces (RFC 9773 §5)
 * @param privateKey        the private key (PKCS#8 DER), a {@link SecretBytes} that never prints
 * @param leaseOwner        the worker holding the row ({@link EnrolmentStore#claimDue}); set by the store only
 * @param leaseUntil        when that lease ends; set by the store only
 * @param updatedAt         when it was last saved (set by the store)
 */
public record Enrolment(String mailbox, Optional<String> profile, EnrolmentStep step, int attempts,
                        Optional<Instant> nextAttemptAt, Optional<URI> accountUrl, Optional<URI> orderUrl,
                        Optional<URI> challengeUrl, Optional<String> problemType, Optional<String> problemDetail,
                        Optional<String> certificatePem, Optional<String> certificateSerial,
                        Optional<String> ariCertId, Optional<Instant> notBefore, Optional<Instant> notAfter,
                        Optional<String> replacesCertId, Optional<SecretBytes> privateKey,
                        Optional<String> leaseOwner, Optional<Instant> leaseUntil, Instant updatedAt) {

    public Enrolment {
        Objects.requireNonNull(mailbox, "mailbox");
        Objects.requireNonNull(step, "step");
        if (attempts < 0) {
            throw new IllegalArgumentException("attempts must not be negative");
        }
        for (Optional<?> o : new Optional<?>[] {profile, nextAttemptAt, accountUrl, orderUrl, challengeUrl,
            problemType, problemDetail, certificatePem, certificateSerial, ariCertId, notBefore, notAfter,
            replacesCertId, privateKey, leaseOwner, leaseUntil}) {
            Objects.requireNonNull(o, "an optional field of " + mailbox + "'s enrolment");
        }
        Objects.requireNonNull(updatedAt, "updatedAt");
    }

    /** A new enrolment for {@code mailbox} in step {@link EnrolmentStep#NONE}, not scheduled. */
    public static Enrolment of(String mailbox) {
        return new Enrolment(mailbox, Optional.empty(), EnrolmentStep.NONE, 0, Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Instant.EPOCH);
    }

    /** The mailbox's domain, lower case: what {@link EnrolmentStore#list} filters on. */
    public String domain() {
        return domainOf(mailbox);
    }

    static String domainOf(String mailbox) {
        return mailbox.substring(mailbox.indexOf('@') + 1).toLowerCase(Locale.ROOT);
    }

    public Enrolment withProfile(String name) {
        return copy(b -> b.profile = Optional.ofNullable(name));
    }

    public Enrolment withStep(EnrolmentStep newStep) {
        return copy(b -> b.step = Objects.requireNonNull(newStep, "step"));
    }

    /** @param next when to work on it next; {@code null}: never on its own */
    public Enrolment withSchedule(int newAttempts, Instant next) {
        return copy(b -> {
            b.attempts = newAttempts;
            b.nextAttemptAt = Optional.ofNullable(next);
        });
    }

    public Enrolment withAccountUrl(URI url) {
        return copy(b -> b.accountUrl = Optional.ofNullable(url));
    }

    public Enrolment withOrderUrl(URI url) {
        return copy(b -> b.orderUrl = Optional.ofNullable(url));
    }

    public Enrolment withChallengeUrl(URI url) {
        return copy(b -> b.challengeUrl = Optional.ofNullable(url));
    }

    /** The CA's problem (type may be {@code null}); {@code (null, null)} clears it. */
    public Enrolment withProblem(String type, String detail) {
        return copy(b -> {
            b.problemType = Optional.ofNullable(type);
            b.problemDetail = Optional.ofNullable(detail);
        });
    }

    /** The issued certificate's facts; {@code ariCertId} may be {@code null} (CA without ARI). */
    public Enrolment withCertificate(String chainPem, String serial, String ariId, Instant validFrom,
                                     Instant validTo) {
        return copy(b -> {
            b.certificatePem = Optional.ofNullable(chainPem);
            b.certificateSerial = Optional.ofNullable(serial);
            b.ariCertId = Optional.ofNullable(ariId);
            b.notBefore = Optional.ofNullable(validFrom);
            b.notAfter = Optional.ofNullable(validTo);
        });
    }

    public Enrolment withReplacesCertId(String certId) {
        return copy(b -> b.replacesCertId = Optional.ofNullable(certId));
    }

    public Enrolment withPrivateKey(SecretBytes key) {
        return copy(b -> b.privateKey = Optional.ofNullable(key));
    }

    Enrolment withLease(String owner, Instant until, Instant savedAt) {
        return copy(b -> {
            b.leaseOwner = Optional.ofNullable(owner);
            b.leaseUntil = Optional.ofNullable(until);
            b.updatedAt = savedAt;
        });
    }

    private Enrolment copy(Consumer<Fields> change) {
        Fields f = new Fields(this);
        change.accept(f);
        return f.build();
    }

    /** The record's fields, mutable, so that each {@code with…} names only what it changes. */
    private static final class Fields {
        private final String mailbox;
        private Optional<String> profile;
        private EnrolmentStep step;
        private int attempts;
        private Optional<Instant> nextAttemptAt;
        private Optional<URI> accountUrl;
        private Optional<URI> orderUrl;
        private Optional<URI> challengeUrl;
        private Optional<String> problemType;
        private Optional<String> problemDetail;
        private Optional<String> certificatePem;
        private Optional<String> certificateSerial;
        private Optional<String> ariCertId;
        private Optional<Instant> notBefore;
        private Optional<Instant> notAfter;
        private Optional<String> replacesCertId;
        private Optional<SecretBytes> privateKey;
        private Optional<String> leaseOwner;
        private Optional<Instant> leaseUntil;
        private Instant updatedAt;

        Fields(Enrolment e) {
            mailbox = e.mailbox;
            profile = e.profile;
            step = e.step;
            attempts = e.attempts;
            nextAttemptAt = e.nextAttemptAt;
            accountUrl = e.accountUrl;
            orderUrl = e.orderUrl;
            challengeUrl = e.challengeUrl;
            problemType = e.problemType;
            problemDetail = e.problemDetail;
            certificatePem = e.certificatePem;
            certificateSerial = e.certificateSerial;
            ariCertId = e.ariCertId;
            notBefore = e.notBefore;
            notAfter = e.notAfter;
            replacesCertId = e.replacesCertId;
            privateKey = e.privateKey;
            leaseOwner = e.leaseOwner;
            leaseUntil = e.leaseUntil;
            updatedAt = e.updatedAt;
        }

        Enrolment build() {
            return new Enrolment(mailbox, profile, step, attempts, nextAttemptAt, accountUrl, orderUrl, challengeUrl,
                    problemType, problemDetail, certificatePem, certificateSerial, ariCertId, notBefore, notAfter,
                    replacesCertId, privateKey, leaseOwner, leaseUntil, updatedAt);
        }
    }
}
