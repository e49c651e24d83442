package dev.acmesmime.testca.acme;

import com.fasterxml.jackson.databind.JsonNode;
import dev.acmesmime.testca.TestCaSettings;
import dev.acmesmime.testca.mail.ResultOutcome;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * newOrder (RFC 8555 §7.4), order and authorization reads (§7.1.3, §7.5), and the challenge POST (§7.5.1).
 * <ul>
 *   <li>newOrder: the identifiers ({@link Identifiers}), the per-account rate limit ({@link RateLimiter}),
 *       CAA when {@code caa.check} is on (RFC 9495: a refusal is the {@code caa} problem), {@code replaces}
 *       (RFC 9773 §5) naming one of this account's certificates; then one NEW authorization per address
 *       ({@link Challenges}): 201 with Location.</li>
 *   <li>Reads are POST-as-GET by the owning account only (another account: unauthorized).</li>
 *   <li>A challenge POST with {@code {}} tells the validation the client is ready; the answer is the
 *       challenge, with {@code Link: <authz>;rel="up"}.</li>
 *   <li>Pending and processing resources carry {@code Retry-After: retryAfter} (RFC 8555 §7.5.1, §7.4).</li>
 * </ul>
 */
public final class OrderResource {
    private static final Logger LOG = LoggerFactory.getLogger(OrderResource.class);

    private final TestCaSettings settings;
    private final PostGate gate;
    private final Orders orders;
    private final Challenges challenges;
    private final IssuedCertificates certificates;
    private final RateLimiter rateLimiter;
    private final Function<String, Optional<String>> caaRefusal;
    private final Views views;
    private final Urls urls;
    private final Clock clock;

    /** @param caaRefusal the CAA check of one address: empty when issuance is allowed */
    public OrderResource(TestCaSettings settings, PostGate gate, Orders orders, Challenges challenges,
                         IssuedCertificates certificates, RateLimiter rateLimiter,
                         Function<String, Optional<String>> caaRefusal, Views views, Urls urls, Clock clock) {
        this.settings = settings;
        this.gate = gate;
        this.orders = orders;
        this.challenges = challenges;
        this.certificates = certificates;
        this.rateLimiter = rateLimiter;
        this.caaRefusal = caaRefusal;
        this.views = views;
        this.urls = urls;
        this.clock = clock;
    }

    /** POST newOrder. */
    public void newOrder(Exchange ex) {
        SignedRequest req = gate.open(ex, JwsVerifier.KeyHeader.KID);
        Account account = req.requireAccount();
        JsonNode p = req.json();
        if (p.hasNonNull("notBefore") || p.hasNonNull("notAfter")) {
            throw Problem.of(ProblemType.MALFORMED, "notBefore and notAfter are not supported; the lifetime is "
                    + settings.certificateLifetime()).exception();
        }
        List<String> addresses = Identifiers.parse(p.get("identifiers"));
        Optional<String> replaces = replaces(p.get("replaces"), account);
        rateLimiter.acquire(account.id());
        for (String address : addresses) {
            caaRefusal.apply(address).ifPresent(reason -> {
                throw Problem.of(ProblemType.CAA, address + ": " + reason).exception();
            });
        }
        List<Authorization> authz = new ArrayList<>();
        for (String address : addresses) {
            authz.add(challenges.create(account, address));
        }
        Instant expires = clock.instant().plus(settings.challengeLifetime());
        Order order = new Order(orders.nextId(), account.id(), addresses, authz, expires, replaces);
        orders.add(order);
        // replaces: which order renews which certificate, for tests reading the log (RFC 9773 §5)
        LOG.info("newOrder account={} order={} identifiers={} replaces={}", account.id(), order.id(), addresses,
                replaces.orElse("none"));
        ex.location(urls.order(order.id()).toString());
        answerOrder(ex, 201, order);
    }

    private Optional<String> replaces(JsonNode replaces, Account account) {
        if (replaces == null || replaces.isNull()) {
            return Optional.empty();
        }
        String certId = replaces.asText("");
        IssuedRecord r = certificates.byCertId(certId).orElseThrow(() -> Problem.of(ProblemType.MALFORMED,
                "replaces " + certId + " names no certificate of this CA").exception());
        if (!r.accountId().equals(account.id())) {
            throw Problem.of(ProblemType.UNAUTHORIZED, "replaces " + certId + " names another account's "
                    + "certificate").exception();
        }
        return Optional.of(certId);
    }

    /** POST-as-GET an order. */
    public void order(Exchange ex) {
        SignedRequest req = gate.read(ex);
        Order order = orders.byId(ex.tail()).orElseThrow(() -> notFound(ex));
        owner(req, order.accountId());
        answerOrder(ex, 200, order);
    }

    /** Writes an order, with Retry-After while it is pending or processing. */
    void answerOrder(Exchange ex, int status, Order order) {
        Order.Status s = order.status(clock.instant());
        if (s == Order.Status.PENDING || s == Order.Status.PROCESSING) {
            ex.retryAfter(settings.retryAfter());
        }
        ex.json(status, views.order(order));
    }

    /** POST-as-GET an authorization. */
    public void authorization(Exchange ex) {
        SignedRequest req = gate.read(ex);
        Authorization a = challenges.byId(ex.tail()).orElseThrow(() -> notFound(ex));
        owner(req, a.accountId());
        if (a.status(clock.instant()) == Authorization.Status.PENDING) {
            ex.retryAfter(settings.retryAfter());
        }
        ex.json(200, views.authorization(a));
    }

    /** POST a challenge: {@code {}} to respond (RFC 8555 §7.5.1), or POST-as-GET to read it. */
    public void challenge(Exchange ex) {
        SignedRequest req = gate.open(ex, JwsVerifier.KeyHeader.KID);
        Authorization a = challenges.byId(ex.tail()).orElseThrow(() -> notFound(ex));
        owner(req, a.accountId());
        if (!req.postAsGet()) {
            req.json();
            ResultOutcome outcome = a.validation().clientPosted();
            LOG.info("challengePost account={} authz={} outcome={}", a.accountId(), a.id(), outcome.outcome());
        }
        ex.link(urls.authz(a.id()).toString(), "up");
        if (a.status(clock.instant()) == Authorization.Status.PENDING) {
            ex.retryAfter(settings.retryAfter());
        }
        ex.json(200, views.challenge(a));
    }

    static void owner(SignedRequest req, String accountId) {
        if (!req.requireAccount().id().equals(accountId)) {
            throw Problem.of(ProblemType.UNAUTHORIZED, "this resource belongs to another account").exception();
        }
    }

    static AcmeProblemException notFound(Exchange ex) {
        return Problem.of(ProblemType.NOT_FOUND, "no resource at " + ex.path()).exception();
    }
}
