package dev.acmesmime.testca.acme;

import dev.acmesmime.testca.pki.IssuedCertificate;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One order (RFC 8555 §7.1.3), its authorizations, and its finalization. Status: pending until every
 * authorization is valid, then ready; processing while the certificate is made; valid with the certificate;
 * invalid when an authorization fails or expires, or the order expires before it is valid.
 *
 * @param id             its id
 * @param accountId      the ordering account
 * @param identifiers    the email addresses, as ordered
 * @param authorizations one new authorization per identifier
 * @param expires        when the order expires
 * @param replaces       the ARI CertID of the certificate it replaces (RFC 9773 §5)
 */
public final class Order {
    /** How far finalize went (RFC 8555 §7.4). */
    public enum Stage { OPEN, PROCESSING, ISSUED, FAILED }

    /** RFC 8555 §7.1.6 order states. */
    public enum Status { PENDING, READY, PROCESSING, VALID, INVALID }

    private final String id;
    private final String accountId;
    private final List<String> identifiers;
    private final List<Authorization> authorizations;
    private final Instant expires;
    private final Optional<String> replaces;
    private Stage stage = Stage.OPEN;
    private IssuedCertificate certificate;
    private String certificateId;
    private Problem error;

    public Order(String id, String accountId, List<String> identifiers, List<Authorization> authorizations,
                 Instant expires, Optional<String> replaces) {
        this.id = id;
        this.accountId = accountId;
        this.identifiers = List.copyOf(identifiers);
        this.authorizations = List.copyOf(authorizations);
        this.expires = expires;
        this.replaces = replaces;
    }

    public String id() {
        return id;
    }

    public String accountId() {
        return accountId;
    }

    public List<String> identifiers() {
        return identifiers;
    }

    public List<Authorization> authorizations() {
        return authorizations;
    }

    public Instant expires() {
        return expires;
    }

    public Optional<String> replaces() {
        return replaces;
    }

    public synchronized Status status(Instant now) {
        switch (stage) {
            case ISSUED:
                return Status.VALID;
            case PROCESSING:
                return Status.PROCESSING;
            case FAILED:
                return Status.INVALID;
            default:
                break;
        }
        if (!now.isBefore(expires)) {
            return Status.INVALID;
        }
        boolean allValid = true;
        for (Authorization a : authorizations) {
            Authorization.Status s = a.status(now);
            if (s == Authorization.Status.INVALID || s == Authorization.Status.EXPIRED) {
                return Status.INVALID;
            }
            allValid &= s == Authorization.Status.VALID;
        }
        return allValid ? Status.READY : Status.PENDING;
    }

    /** Moves a ready order to processing; false when it was not ready (orderNotReady). */
    public synchronized boolean startFinalize(Instant now) {
        if (status(now) != Status.READY) {
            return false;
        }
        stage = Stage.PROCESSING;
        return true;
    }

    public synchronized void issued(String certId, IssuedCertificate cert) {
        this.certificateId = certId;
        this.certificate = cert;
        this.stage = Stage.ISSUED;
    }

    public synchronized void failed(Problem problem) {
        this.error = problem;
        this.stage = Stage.FAILED;
    }

    public synchronized Optional<String> certificateId() {
        return Optional.ofNullable(certificateId);
    }

    public synchronized Optional<IssuedCertificate> certificate() {
        return Optional.ofNullable(certificate);
    }

    public synchronized Optional<Problem> error() {
        return Optional.ofNullable(error);
    }
}
