package dev.acmesmime.enrolment;

import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.acmesmime.acme.CaClient;
import dev.acmesmime.acme.CaException;
import dev.acmesmime.acme.CaProblem;
import dev.acmesmime.acme.CaProfile;
import dev.acmesmime.acme.KeyType;
import dev.acmesmime.acme.Keys;
import dev.acmesmime.acme.PlacedOrder;
import dev.acmesmime.acme.RenewalWindow;
import dev.acmesmime.metrics.MetricNames;
import dev.acmesmime.metrics.PluginMetrics;
import dev.acmesmime.organisation.RegistrationRequest;
import dev.acmesmime.organisation.RegistrationRequest.InvalidRegistrationException;
import dev.acmesmime.store.AuditEvent;
import dev.acmesmime.store.AuditRecord;
import dev.acmesmime.store.AuditStore;
import dev.acmesmime.store.ChallengeStatus;
import dev.acmesmime.store.Enrolment;
import dev.acmesmime.store.EnrolmentStep;
import dev.acmesmime.store.EnrolmentStore;
import dev.acmesmime.store.PendingChallenge;
import dev.acmesmime.store.PendingChallengeStore;
import dev.acmesmime.store.Transactions;

/**
 * Advances one mailbox's enrolment (RFC 8823 §3) by as many steps as it can take without waiting, storing the
 * row after each step, so that a node killed at any point resumes from the last stored step:
 * <ol>
 *   <li>{@code NONE}: a key of the profile's type is generated and stored sealed → {@code KEY_READY};</li>
 *   <li>{@code KEY_READY}: a new order with an {@code email} identifier (RFC 8555 §7.4), on renewal naming the
 *       certificate it replaces (RFC 9773 §5), within the profile's order rate → {@code ORDERED};</li>
 *   <li>{@code ORDERED}: the challenge (token-part2, {@code from}, URL; read again from the CA after a
 *       restart) is registered through {@link RegistrationRequest#validate}, the path WebAdmin's
 *       {@code PUT /acme-smime/pending-challenges} takes → {@code CHALLENGE_REGISTERED};</li>
 *   <li>{@code CHALLENGE_REGISTERED}: waits until the responder marks the challenge answered →
 *       {@code ANSWERED}; an expired challenge means a new order. The responder makes the row due as it
 *       marks the challenge answered ({@link EnrolmentStore#wake}); the engine itself looks again only every
 *       {@link #AWAIT_CHECK} (or at the challenge's expiry, if sooner), as a safety net;</li>
 *   <li>{@code ANSWERED}: after the profile's {@code postDelay}, POST {@code {}} to the challenge
 *       (RFC 8555 §7.5.1) → {@code POSTED}; then {@link OrderSteps} polls, finalizes and stores the
 *       certificate.</li>
 * </ol>
 * An order stored on the row is only ever polled, never placed again, while it lives: no mailbox has two
 * live orders. Failures go through {@link Failures}. Every row is written with
 * {@link EnrolmentStore#saveHeld}: a node whose lease ran out stops, it never overwrites the node that
 * took over.
 */
public final class MailboxEnrolment {
    private static final Logger LOG = LoggerFactory.getLogger(MailboxEnrolment.class);
    /** Steps in one turn; a turn ends sooner at any wait. */
    private static final int MAX_STEPS = 16;
    /** The longest wait between two looks at a registered challenge; the responder's wake-up comes sooner. */
    static final Duration AWAIT_CHECK = Duration.ofSeconds(60);

    private final Context c;

    /** What every step uses. */
    record Context(EnrolmentStore enrolments, PendingChallengeStore pending, AuditStore audit,
                   Transactions transactions, CaClients clients, OrderRateLimiter limiter, RenewalPolicy renewal,
                   Failures failures, Duration poll, Duration lease, Clock clock, PluginMetrics metrics) {
        Instant now() {
            return clock.instant();
        }

        Instant polled() {
            return now().plus(poll);
        }

        /**
         * When a registered challenge is looked at again: the responder wakes the enrolment once it is
         * answered ({@link EnrolmentStore#wake}), so this is only the safety net for a wake-up lost (a node
         * whose store write failed): {@link #AWAIT_CHECK} from now (at least the poll), or the challenge's
         * expiry if sooner.
         */
        Instant nextCheck(Instant expiresAt) {
            Instant check = now().plus(poll.compareTo(AWAIT_CHECK) > 0 ? poll : AWAIT_CHECK);
            return expiresAt.isBefore(check) ? expiresAt : check;
        }
    }

    MailboxEnrolment(Context context) {
        this.c = context;
    }

    /**
     * One turn on {@code held}, whose lease {@code owner} holds.
     *
     * @return the row as last stored; empty when the lease was lost midway
     */
    public Optional<Enrolment> advance(Enrolment held, String owner) {
        Enrolment current = held;
        Instant started = c.now();
        Optional<PlacedOrder> placed = Optional.empty();
        try {
            // the claim gave this turn a whole lease just now; every later step gets its own in the commit
            // before it (store)
            if (createsCaState(current.step()) && !extendLease(held.mailbox(), owner)) {
                LOG.info("enrolment of {}: lease lost before {}, left to the node holding it", held.mailbox(),
                        current.step());
                return Optional.empty();
            }
            for (int i = 0; i < MAX_STEPS; i++) {
                Step step = attempt(current, placed);
                placed = step.placed();
                Optional<Enrolment> saved = c.transactions().inTransaction(() -> store(step, owner));
                if (saved.isEmpty()) {
                    LOG.info("enrolment of {}: lease lost at {}, left to the node holding it", held.mailbox(),
                            current.step());
                    return Optional.empty();
                }
                step.counter().ifPresent(c.metrics()::increment);
                current = saved.get();
                if (!step.proceed()) {
                    return saved;
                }
            }
            return Optional.of(current);
        } finally {
            c.metrics().record(MetricNames.ENROLMENT_STEP_TIME, Duration.between(started, c.now()));
        }
    }

    /**
     * A step's outcome in one commit: the row, its audit record, and the lease — a whole one for a next step
     * that creates state at the CA, none when the turn ends here. One commit instead of up to four per step
     * is what lets the embedded store keep up with 10,000 mailboxes enrolled at once (issue 15's benchmark).
     *
     * @return empty when {@code owner} no longer holds the row (nothing of the step is kept then)
     */
    private Optional<Enrolment> store(Step step, String owner) {
        Optional<Enrolment> saved = c.enrolments().saveHeld(step.enrolment(), owner);
        if (saved.isEmpty()) {
            return saved;
        }
        step.audit().ifPresent(c.audit()::append);
        String mailbox = saved.get().mailbox();
        if (!step.proceed()) {
            c.enrolments().release(mailbox, owner);
        } else if (createsCaState(saved.get().step()) && !extendLease(mailbox, owner)) {
            return Optional.empty();
        }
        return saved;
    }

    private boolean extendLease(String mailbox, String owner) {
        return c.enrolments().extendLease(mailbox, owner, c.now().plus(c.lease()));
    }

    /**
     * The steps after which the CA holds something new (an order, a triggered challenge, a finalized order):
     * each starts with a whole lease, so that however long the turn before it took, no other node takes the
     * mailbox over while it runs and does the same again (one live order per mailbox). The lease is at least
     * {@code enrolment.leaseSeconds}' minimum, well above one step's CA calls.
     */
    private static boolean createsCaState(EnrolmentStep step) {
        return step == EnrolmentStep.KEY_READY || step == EnrolmentStep.ANSWERED || step == EnrolmentStep.VALID;
    }

    private Step attempt(Enrolment e, Optional<PlacedOrder> placed) {
        try {
            return step(e, placed);
        } catch (CaException ex) {
            LOG.info("enrolment of {} at {}: {}", e.mailbox(), e.step(), ex.problem());
            return c.failures().fromCa(e, ex.problem());
        } catch (InvalidRegistrationException ex) {
            return c.failures().failed(e, EnrolmentFailure.REGISTRATION_REFUSED, ex.getMessage());
        } catch (RuntimeException ex) {
            LOG.warn("enrolment of {} at {} failed", e.mailbox(), e.step(), ex);
            return c.failures().retry(e, EnrolmentFailure.INTERNAL, ex.toString());
        }
    }

    private Step step(Enrolment e, Optional<PlacedOrder> placed) {
        Optional<CaProfile> profile = e.profile().flatMap(p -> c.clients().profileNamed(p));
        if (profile.isEmpty()) {
            return c.failures().failed(e, EnrolmentFailure.NO_PROFILE, "no CA profile " + e.profile().orElse("")
                    + " covers " + e.mailbox());
        }
        CaClient client = c.clients().of(profile.get().name());
        switch (e.step()) {
            case NONE:
            case FAILED:
            case ISSUED:
                return start(e, profile.get(), client);
            case KEY_READY:
                return order(e, profile.get(), client);
            case ORDERED:
                return register(e, client, placed);
            case CHALLENGE_REGISTERED:
                return awaitAnswer(e);
            case ANSWERED:
                return post(e, profile.get(), client);
            default:
                return new OrderSteps(c, client).step(e);
        }
    }

    /**
     * A new enrolment, a renewal, or a failed one tried again: a key, then a new order. An issued certificate
     * is renewed only once due ({@link RenewalPolicy#notYetDue}, the CA's window read again); the new order
     * names it in {@code replaces} only when the CA offers renewal information (RFC 9773 §5).
     */
    private Step start(Enrolment e, CaProfile profile, CaClient client) {
        Optional<IssuedCertificate> current = e.certificatePem().map(IssuedCertificate::parse);
        Optional<RenewalWindow> window = current.flatMap(cert -> OrderSteps.window(client, cert));
        if (e.step() == EnrolmentStep.ISSUED && current.isPresent()) {
            X509Certificate leaf = current.get().leaf();
            Optional<Instant> later = c.renewal().notYetDue(leaf.getNotBefore().toInstant(),
                    leaf.getNotAfter().toInstant(), window, c.now());
            if (later.isPresent()) {
                return Step.waiting(e.withSchedule(e.attempts(), later.get()));
            }
        }
        Enrolment keyed = e;
        boolean reusable = e.privateKey().map(KeyCodec::decode)
                .map(k -> KeyType.of(k.getPublic()) == profile.keyType()).orElse(false);
        if (!reusable) {
            keyed = e.withPrivateKey(KeyCodec.encode(Keys.generate(profile.keyType())));
        }
        // a renewal keeps the current key, so mail encrypted to the current certificate stays readable
        return Step.next(keyed.withStep(EnrolmentStep.KEY_READY).withProblem(null, null)
                .withReplacesCertId(window.isPresent() ? e.ariCertId().orElse(null) : null));
    }

    private Step order(Enrolment e, CaProfile profile, CaClient client) {
        Optional<Instant> slot = c.limiter().acquire(profile.name(), c.now());
        if (slot.isPresent()) {
            return Step.waiting(e.withSchedule(e.attempts(), slot.get()));
        }
        PlacedOrder order = client.placeOrder(e.mailbox(), e.replacesCertId());
        Enrolment ordered = e.withStep(EnrolmentStep.ORDERED).withAccountUrl(client.account().url())
                .withOrderUrl(order.orderUrl()).withChallengeUrl(order.challengeUrl())
                .withSchedule(e.attempts(), c.now());
        AuditRecord.Entry entry = AuditRecord.entry(AuditEvent.ENROLMENT_ORDERED).address(e.mailbox())
                .outcome(profile.name()).detail(order.orderUrl()
                        + e.replacesCertId().map(id -> " replaces " + id).orElse(""));
        return Step.next(ordered).recording(entry, MetricNames.ENROLMENT_ORDERS).carrying(order);
    }

    /**
     * Registers the challenge, then goes on to {@link #awaitAnswer} in the same turn: the responder may answer
     * it (its mail was waiting, {@code awaiting-registration}) before this row is stored at
     * {@code CHALLENGE_REGISTERED}, and its wake-up, which only touches rows at that step, would be lost.
     */
    private Step register(Enrolment e, CaClient client, Optional<PlacedOrder> placed) {
        if (c.pending().find(e.challengeUrl().orElseThrow()).isEmpty()) {
            PlacedOrder order = placed.filter(p -> e.orderUrl().equals(Optional.of(p.orderUrl())))
                    .orElseGet(() -> client.placedOrder(e.orderUrl().orElseThrow()));
            PendingChallenge.Registration registration = new RegistrationRequest(e.mailbox(), order.from(),
                    order.tokenPart2(), client.account().thumbprint(), order.challengeUrl().toString(),
                    order.expires().toString()).validate(c.now());
            c.pending().register(registration);
        }
        return Step.next(e.withStep(EnrolmentStep.CHALLENGE_REGISTERED).withSchedule(e.attempts(), c.polled()));
    }

    private Step awaitAnswer(Enrolment e) {
        Optional<PendingChallenge> challenge = c.pending().find(e.challengeUrl().orElseThrow());
        if (challenge.isEmpty()) {
            return Step.next(e.withStep(EnrolmentStep.ORDERED));
        }
        PendingChallenge p = challenge.get();
        if (p.status() == ChallengeStatus.ANSWERED) {
            return Step.next(e.withStep(EnrolmentStep.ANSWERED));
        }
        if (p.status() == ChallengeStatus.EXPIRED || !p.expiresAt().isAfter(c.now())) {
            return c.failures().orderDead(e, EnrolmentFailure.CHALLENGE_EXPIRED, CaProblem.client(
                    EnrolmentFailure.CHALLENGE_EXPIRED.code(), "no challenge mail was answered before "
                            + p.expiresAt()));
        }
        return Step.waiting(e.withSchedule(e.attempts(), c.nextCheck(p.expiresAt())));
    }

    private Step post(Enrolment e, CaProfile profile, CaClient client) {
        Instant answeredAt = c.pending().find(e.challengeUrl().orElseThrow())
                .flatMap(PendingChallenge::answeredAt).orElse(e.updatedAt());
        Instant due = answeredAt.plus(profile.postDelay());
        if (due.isAfter(c.now())) {
            return Step.waiting(e.withSchedule(e.attempts(), due));
        }
        client.trigger(e.challengeUrl().orElseThrow());
        AuditRecord.Entry entry = AuditRecord.entry(AuditEvent.ENROLMENT_CHALLENGE_POSTED).address(e.mailbox())
                .detail(e.challengeUrl().orElseThrow().toString());
        return Step.next(e.withStep(EnrolmentStep.POSTED)).recording(entry, MetricNames.ENROLMENT_CHALLENGES_POSTED);
    }

    static KeyPair key(Enrolment e) {
        return KeyCodec.decode(e.privateKey().orElseThrow(() -> new IllegalStateException(
                "the enrolment of " + e.mailbox() + " has no key at " + e.step())));
    }
}
