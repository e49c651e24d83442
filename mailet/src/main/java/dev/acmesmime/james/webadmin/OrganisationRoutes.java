package dev.acmesmime.james.webadmin;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import javax.inject.Inject;

import org.apache.james.user.api.UsersRepository;
import org.apache.james.webadmin.Routes;
import org.apache.james.webadmin.utils.JsonExtractException;
import org.apache.james.webadmin.utils.JsonExtractor;
import org.apache.james.webadmin.utils.JsonTransformer;
import org.eclipse.jetty.http.HttpStatus;

import dev.acmesmime.james.runtime.AllowedOrigins;
import dev.acmesmime.james.runtime.AcmeSmimeRuntime;
import dev.acmesmime.organisation.RegistrationRequest;
import dev.acmesmime.organisation.RegistrationRequest.InvalidRegistrationException;
import dev.acmesmime.store.AuditEvent;
import dev.acmesmime.store.AuditRecord;
import dev.acmesmime.store.ChallengeStatus;
import dev.acmesmime.store.OutgoingResponse;
import dev.acmesmime.store.PendingChallenge;
import spark.Request;
import spark.Response;
import spark.Service;

/**
 * WebAdmin routes of the organisation role: register the challenges the responder may answer (so it
 * works without the enrolment service, e.g. for a user's own ACME client), see their status, and read
 * the responder's latest decisions.
 * <p>
 * Loaded by James 3.8.1 through {@code webadmin.properties}:
 * <pre>extensions.routes=dev.acmesmime.james.webadmin.OrganisationRoutes</pre>
 * (James builds extension routes with the extension injector, so {@link AcmeSmimeRuntime} is shared with
 * the mailets.) Loading them also installs the {@link CrossOriginGuard} on every WebAdmin route: web pages
 * from origins not in {@value AllowedOrigins#KEY} get 403.
 *
 * <h2>PUT /acme-smime/pending-challenges/{mailbox}</h2>
 * <pre>
 * expires="$(date -u -d '+1 day' +%Y-%m-%dT%H:%M:%SZ)"
 * curl -XPUT -H 'Content-Type: application/json' http://127.0.0.1:8001/acme-smime/pending-challenges/alice@org.example \
 *   -d '{"from":"acme@ca.example","tokenPart2":"DGyRejmCefe7v4NfDGDKfA",
 *        "accountThumbprint":"LPJNul-wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ",
 *        "challengeUrl":"https://ca.example/acme/chall/1","expires":"'"$expires"'"}'
 * </pre>
 * Registers a pending challenge: the challenge mail from {@code from} to {@code mailbox} will be answered
 * with the key authorization of token-part1 (from the mail), {@code tokenPart2} and the account key
 * {@code accountThumbprint} (RFC 7638, base64url SHA-256), until {@code expires} (ISO-8601 instant).
 * {@code tokenPart2} is stored encrypted and never shown again.
 * <ul>
 *   <li>204: registered</li>
 *   <li>400: a field is missing or invalid (the message names it), or {@code expires} is not in the future</li>
 *   <li>404: {@code mailbox} is not a user of this server (its challenge mail would never reach the responder,
 *       which answers for local mailboxes only)</li>
 *   <li>409: a challenge with this {@code challengeUrl} is registered already</li>
 * </ul>
 *
 * <h2>GET /acme-smime/pending-challenges/{mailbox}</h2>
 * <pre>curl http://127.0.0.1:8001/acme-smime/pending-challenges/alice@org.example</pre>
 * The challenges registered for the mailbox, newest first: {@code challengeUrl}, {@code from},
 * {@code status} ({@code pending}, {@code answering}, {@code answered} or {@code expired}), {@code createdAt},
 * {@code expires}, and, once claimed, {@code answeredAt} (when the challenge mail was claimed) and
 * {@code responseMessageId}. {@code answering}: the response is signed and kept in the store's response
 * outbox but James's spool has not taken it yet; {@code lastError} says why and the outbox tries again
 * until the challenge expires (then {@code expired}, with audit event {@code challenge-response-expired}).
 * {@code answered}: James's spool took the response; an enrolment that sees it POSTs to the challenge URL
 * (RFC 8823 §3 step 7).
 * <ul><li>200</li><li>400: not a mailbox</li><li>404: nothing registered for the mailbox</li></ul>
 *
 * <h2>GET /acme-smime/decisions?mailbox={mailbox}[&amp;limit=50]</h2>
 * <pre>curl 'http://127.0.0.1:8001/acme-smime/decisions?mailbox=alice@org.example'</pre>
 * The responder's latest decisions for the mailbox, newest first (at most {@code limit}, 1..1000, default 50):
 * {@code time}, {@code decision} ({@code answered} or {@code ignored}), {@code codes} (failure and decision
 * codes), {@code challengeMessageId}, {@code tokenPart1}, {@code detail}.
 * <ul><li>200</li><li>400: {@code mailbox} missing or invalid, {@code limit} out of range</li></ul>
 *
 * Errors are James's JSON error documents ({@code statusCode}, {@code type}, {@code message}).
 */
public class OrganisationRoutes implements Routes {

    public static final String BASE_PATH = "/acme-smime";
    public static final String PENDING_CHALLENGES = BASE_PATH + "/pending-challenges/:mailbox";
    public static final String DECISIONS = BASE_PATH + "/decisions";
    static final int DEFAULT_DECISIONS_LIMIT = 50;
    private static final int MAX_DECISIONS_LIMIT = 1000;
    private static final Set<AuditEvent> DECISION_EVENTS = Set.of(AuditEvent.CHALLENGE_ANSWERED,
            AuditEvent.CHALLENGE_IGNORED);

    /** The body of a registration. */
    public record PendingChallengeRequest(String from, String tokenPart2, String accountThumbprint,
                                          String challengeUrl, String expires) {
    }

    /** A registered challenge as shown; never its token-part2. {@code lastError}: only while answering. */
    public record PendingChallengeDto(String challengeUrl, String mailbox, String from, String status,
                                      String createdAt, String expires, String answeredAt, String responseMessageId,
                                      String lastError) {
    }

    /** One decision of the responder. */
    public record DecisionDto(String time, String decision, List<String> codes, String challengeMessageId,
                              String tokenPart1, String detail) {
    }

    private final AcmeSmimeRuntime runtime;
    private final UsersRepository users;
    private final JsonTransformer json = new JsonTransformer();
    private final JsonExtractor<PendingChallengeRequest> extractor = new JsonExtractor<>(PendingChallengeRequest.class);

    @Inject
    public OrganisationRoutes(AcmeSmimeRuntime runtime, UsersRepository users) {
        this.runtime = runtime;
        this.users = users;
    }

    @Override
    public String getBasePath() {
        return BASE_PATH;
    }

    @Override
    public void define(Service service) {
        CrossOriginGuard.installOnce(service, runtime.allowedOrigins());
        definePutPendingChallenge(service);
        defineGetPendingChallenges(service);
        defineGetDecisions(service);
    }

    private void definePutPendingChallenge(Service service) {
        service.put(PENDING_CHALLENGES, this::register, json);
    }

    private void defineGetPendingChallenges(Service service) {
        service.get(PENDING_CHALLENGES, this::pendingChallenges, json);
    }

    private void defineGetDecisions(Service service) {
        service.get(DECISIONS, this::decisions, json);
    }

    private Object register(Request request, Response response) {
        String mailbox = LocalMailboxes.mailbox(request.params("mailbox"), "mailbox");
        LocalMailboxes.requireUser(users, mailbox);
        PendingChallengeRequest body;
        try {
            body = extractor.parse(request.body());
        } catch (JsonExtractException e) {
            throw RouteErrors.badRequest("the body must be JSON {from, tokenPart2, accountThumbprint, challengeUrl, expires}: %s",
                    e.getMessage());
        }
        if (body == null) {
            // the JSON literal null parses to no object (a 500 until the fuzzing campaign found it, issue 14)
            throw RouteErrors.badRequest("the body must be JSON {from, tokenPart2, accountThumbprint, challengeUrl, expires}");
        }
        PendingChallenge.Registration registration;
        try {
            registration = new RegistrationRequest(mailbox, body.from(), body.tokenPart2(), body.accountThumbprint(),
                    body.challengeUrl(), body.expires()).validate(runtime.clock().instant());
        } catch (InvalidRegistrationException e) {
            throw RouteErrors.badRequest("%s", e.getMessage());
        }
        if (!runtime.store().pendingChallenges().register(registration)) {
            throw RouteErrors.conflict("a challenge with challengeUrl %s is registered already",
                    registration.challengeUrl());
        }
        response.status(HttpStatus.NO_CONTENT_204);
        return "";
    }

    private Object pendingChallenges(Request request, Response response) {
        String mailbox = LocalMailboxes.mailbox(request.params("mailbox"), "mailbox");
        List<PendingChallenge> found = runtime.store().pendingChallenges().findByMailbox(mailbox, 100);
        if (found.isEmpty()) {
            throw RouteErrors.notFound("no challenge is registered for %s", mailbox);
        }
        Instant now = runtime.clock().instant();
        return found.stream().map(p -> new PendingChallengeDto(p.challengeUrl().toString(), p.mailbox(),
                p.challengeFrom(), status(p, now), p.createdAt().toString(), p.expiresAt().toString(),
                p.answeredAt().map(Instant::toString).orElse(null), p.responseMessageId().orElse(null),
                lastError(p))).collect(Collectors.toList());
    }

    /** Why the response of an answering challenge has not reached James's spool yet (none before a first failure). */
    private String lastError(PendingChallenge p) {
        if (p.status() != ChallengeStatus.ANSWERING) {
            return null;
        }
        return runtime.store().responseOutbox().find(p.challengeUrl()).flatMap(OutgoingResponse::lastError).orElse(null);
    }

    private Object decisions(Request request, Response response) {
        String mailbox = LocalMailboxes.mailbox(request.queryParams("mailbox"), "mailbox");
        int limit = PageLimit.read(request.queryParams(PageLimit.LIMIT), DEFAULT_DECISIONS_LIMIT, MAX_DECISIONS_LIMIT);
        return runtime.store().audit().latest(mailbox, DECISION_EVENTS, limit).stream()
                .map(OrganisationRoutes::decision).collect(Collectors.toList());
    }

    private static DecisionDto decision(AuditRecord r) {
        return new DecisionDto(r.occurredAt().toString(),
                r.event().equals(AuditEvent.CHALLENGE_ANSWERED.value()) ? "answered" : "ignored", r.codes(),
                r.messageId().orElse(null), r.token().orElse(null), r.detail().orElse(""));
    }

    static String status(PendingChallenge p, Instant now) {
        if (p.status() == ChallengeStatus.PENDING && !p.expiresAt().isAfter(now)) {
            return "expired";
        }
        return p.status().name().toLowerCase(Locale.ROOT);
    }
}
