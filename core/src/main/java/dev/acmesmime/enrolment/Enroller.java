package dev.acmesmime.enrolment;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.acmesmime.acme.CaException;
import dev.acmesmime.acme.CaProfile;
import dev.acmesmime.metrics.MetricNames;
import dev.acmesmime.metrics.PluginMetrics;
import dev.acmesmime.rfc8823.Mailboxes;
import dev.acmesmime.store.AcmeSmimeStore;
import dev.acmesmime.store.AuditEvent;
import dev.acmesmime.store.AuditRecord;
import dev.acmesmime.store.Enrolment;
import dev.acmesmime.store.EnrolmentStep;
import dev.acmesmime.store.EnrolmentStore;

/**
 * The enrolment as the James adapter sees it: tell it which users exist ({@link #known}, {@link #forget}),
 * let admins act ({@link #enrolNow}, {@link #renewDue}) and read the state ({@link #status}); the
 * {@link EnrolmentWorker} it owns does the work once {@link #start started}. Mailboxes are keyed in the
 * store's form (domain in lower case, {@link Mailboxes#normalize}).
 */
public final class Enroller implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Enroller.class);

    private final EnrolmentSettings settings;
    private final AcmeSmimeStore store;
    private final CaClients clients;
    private final Clock clock;
    private final PluginMetrics metrics;
    private final EnrolmentWorker worker;

    private Enroller(EnrolmentSettings settings, AcmeSmimeStore store, CaClients clients, Clock clock,
                     PluginMetrics metrics, String owner) {
        this.settings = settings;
        this.store = store;
        this.clients = clients;
        this.clock = clock;
        this.metrics = metrics;
        MailboxEnrolment engine = new MailboxEnrolment(new MailboxEnrolment.Context(store.enrolments(),
                store.pendingChallenges(), store.audit(), store, clients,
                new OrderRateLimiter(settings.ordersPerMinute()),
                new RenewalPolicy(settings.renewalJitter(), new SecureRandom()),
                new Failures(settings.retryPolicy(), clock), settings.poll(), settings.lease(), clock, metrics));
        this.worker = new EnrolmentWorker(store.enrolments(), engine, settings, clock, owner);
    }

    /**
     * An enroller on {@code store}, ordering through {@code clients}; nothing runs before {@link #start}.
     *
     * @param nodeName this node's name (the store's {@code store.nodeName}); leases carry it
     */
    public static Enroller create(EnrolmentSettings settings, AcmeSmimeStore store, CaClients clients, Clock clock,
                                  PluginMetrics metrics, String nodeName) {
        String owner = nodeName + "/" + UUID.randomUUID().toString().substring(0, 8);
        return new Enroller(settings, store, clients, clock, metrics, owner);
    }

    /** Starts the worker and registers the gauges. */
    public void start() {
        metrics.gauge(MetricNames.ENROLMENT_IN_PROGRESS, () -> counts().entrySet().stream()
                .filter(e -> !e.getKey().isRest()).mapToLong(Map.Entry::getValue).sum());
        metrics.gauge(MetricNames.ENROLMENT_FAILED, () -> counts().getOrDefault(EnrolmentStep.FAILED, 0L));
        worker.start();
    }

    public EnrolmentSettings settings() {
        return settings;
    }

    /**
     * A user James has: a mailbox in scope ({@link EnrolmentSettings#inScope}) without an enrolment gets one,
     * due at once.
     *
     * @return whether an enrolment was created
     */
    public boolean known(String mailbox) {
        return known(List.of(mailbox)) == 1;
    }

    /**
     * {@link #known} for a batch of users, in one commit: the user scan of a server with 10,000 new mailboxes
     * then writes 10,000 / batch chunks to the store instead of one per user.
     *
     * @return how many enrolments were created
     */
    public int known(List<String> mailboxes) {
        int created = store.inTransaction(() -> {
            int n = 0;
            for (String mailbox : mailboxes) {
                n += create(Mailboxes.normalize(mailbox)) ? 1 : 0;
            }
            return n;
        });
        if (created > 0) {
            worker.wake();
        }
        return created;
    }

    private boolean create(String box) {
        if (!settings.inScope(box) || enrolments().find(box).isPresent()) {
            return false;
        }
        CaProfile profile = settings.profiles().profileFor(box).orElseThrow();
        enrolments().save(Enrolment.of(box).withProfile(profile.name()).withSchedule(0, clock.instant()));
        return true;
    }

    /**
     * A user James no longer has: the enrolment is deleted, its certificate first revoked (RFC 8555 §7.6)
     * when {@code revoke}. A revocation the CA refuses is logged and audited, the enrolment deleted anyway.
     *
     * @return whether there was an enrolment
     */
    public boolean forget(String mailbox, boolean revoke) {
        String box = Mailboxes.normalize(mailbox);
        Optional<Enrolment> found = enrolments().find(box);
        if (found.isEmpty()) {
            return false;
        }
        Enrolment e = found.get();
        if (revoke && e.certificatePem().isPresent() && e.profile().isPresent()) {
            revoke(e, "user deleted");
        }
        return enrolments().delete(box);
    }

    /**
     * An admin revokes a mailbox's certificate (RFC 8555 §7.6), for a lost device or a leaked key: the
     * certificate and its key are removed from the enrolment whatever the CA answers, so that the gateway
     * stops signing and decrypting with them at once (G2), and the enrolment rests in {@code NONE} until an
     * admin enrols the mailbox again (a new key, a new order). A revocation the CA refuses is logged and audited.
     *
     * @return the enrolment afterwards; empty when the mailbox has no certificate
     */
    public Optional<Enrolment> revokeNow(String mailbox) {
        String box = Mailboxes.normalize(mailbox);
        Optional<Enrolment> found = enrolments().find(box).filter(e -> e.certificatePem().isPresent());
        if (found.isEmpty()) {
            return Optional.empty();
        }
        Enrolment e = found.get();
        if (e.profile().isPresent()) {
            revoke(e, "revoked by an admin");
        }
        return Optional.of(enrolments().save(e.withCertificate(null, null, null, null, null).withPrivateKey(null)
                .withStep(EnrolmentStep.NONE).withSchedule(0, null).withReplacesCertId(null)
                .withProblem(null, "certificate " + e.certificateSerial().orElse("") + " revoked by an admin")));
    }

    private void revoke(Enrolment e, String why) {
        IssuedCertificate cert = IssuedCertificate.parse(e.certificatePem().orElseThrow());
        try {
            clients.of(e.profile().orElseThrow()).revoke(cert.leaf());
            store.audit().append(AuditRecord.entry(AuditEvent.ENROLMENT_REVOKED).address(e.mailbox())
                    .token(cert.serial()).detail(why));
            metrics.increment(MetricNames.ENROLMENT_REVOKED);
        } catch (CaException ex) {
            LOG.warn("revocation of {}'s certificate {} refused: {}", e.mailbox(), cert.serial(), ex.problem());
            store.audit().append(AuditRecord.entry(AuditEvent.ENROLMENT_FAILED).address(e.mailbox())
                    .token(cert.serial()).outcome(ex.problem().type()).detail("revocation: " + ex.problem().detail()));
        }
    }

    /**
     * An admin asks for a certificate now: a new enrolment, a failed one tried again, an issued one renewed;
     * one in progress is only made due now (its order is kept).
     *
     * @throws IllegalArgumentException when no CA profile covers the mailbox
     */
    public Enrolment enrolNow(String mailbox) {
        String box = Mailboxes.normalize(mailbox);
        CaProfile profile = settings.profiles().profileFor(box).orElseThrow(() -> new IllegalArgumentException(
                "no CA profile covers " + box));
        Enrolment e = enrolments().find(box).orElseGet(() -> Enrolment.of(box).withProfile(profile.name()));
        if (e.step() == EnrolmentStep.ISSUED) {
            // straight to a new order: the ISSUED step would wait for the renewal window
            e = e.withStep(EnrolmentStep.KEY_READY).withReplacesCertId(e.ariCertId().orElse(null));
        }
        Enrolment saved = enrolments().save(e.withSchedule(e.step() == EnrolmentStep.FAILED ? 0 : e.attempts(),
                clock.instant()));
        worker.wake();
        return saved;
    }

    /**
     * Makes every issued enrolment due now, page by page: each is renewed if its ARI window has begun (or,
     * without ARI, its two-thirds band), else scheduled again. For after the CA moved its windows.
     *
     * @return how many were made due
     */
    public int renewDue() {
        int n = 0;
        Optional<String> after = Optional.empty();
        while (true) {
            List<Enrolment> page = enrolments().list(Optional.empty(), Optional.of(EnrolmentStep.ISSUED), after,
                    EnrolmentStore.MAX_PAGE);
            for (Enrolment e : page) {
                enrolments().save(e.withSchedule(e.attempts(), clock.instant()));
                n++;
            }
            if (page.size() < EnrolmentStore.MAX_PAGE) {
                break;
            }
            after = Optional.of(page.get(page.size() - 1).mailbox());
        }
        worker.wake();
        return n;
    }

    public Optional<Enrolment> status(String mailbox) {
        return enrolments().find(Mailboxes.normalize(mailbox));
    }

    /** One page of enrolments, as {@link EnrolmentStore#list}. */
    public List<Enrolment> status(Optional<String> domain, Optional<EnrolmentStep> step, Optional<String> after,
                                  int limit) {
        return enrolments().list(domain, step, after, limit);
    }

    public Map<EnrolmentStep, Long> counts() {
        return enrolments().countByStep();
    }

    private EnrolmentStore enrolments() {
        return store.enrolments();
    }

    @Override
    public void close() {
        worker.close();
    }
}
