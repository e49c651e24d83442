package dev.acmesmime.james.webadmin;

import java.util.ArrayList;
import java.util.List;

import javax.inject.Inject;

import org.apache.james.webadmin.Constants;
import org.apache.james.webadmin.Routes;
import org.apache.james.webadmin.utils.JsonTransformer;
import org.eclipse.jetty.http.HttpStatus;

import com.fasterxml.jackson.core.JsonProcessingException;

import dev.acmesmime.james.runtime.AllowedOrigins;
import dev.acmesmime.ca.ChallengeRecorder;
import dev.acmesmime.james.runtime.AcmeSmimeRuntime;
import dev.acmesmime.store.AuditQuery;
import dev.acmesmime.store.OutboxItem;
import spark.Request;
import spark.Response;
import spark.Service;

/**
 * WebAdmin routes of the CA role: facts of challenges from the ACME server, the audit log, the evidence
 * records and the forward outbox.
 * <p>
 * Loaded by James 3.8.1 through {@code webadmin.properties}:
 * <pre>extensions.routes=dev.acmesmime.james.webadmin.CaRoutes</pre>
 * The routes are as protected as WebAdmin itself: keep it on loopback or enable its JWT authentication
 * ({@code jwt.enabled=true}). Loading them also installs the {@link CrossOriginGuard} on every WebAdmin route:
 * web pages from origins not in {@value AllowedOrigins#KEY} get 403. Errors are James's JSON error documents ({@code statusCode}, {@code type},
 * {@code message}, {@code details}).
 *
 * <h2>POST /acme-smime/challenges</h2>
 * <pre>
 * curl -XPOST http://127.0.0.1:8001/acme-smime/challenges \
 *   -d '{"messageId":"&lt;c1@ca.example&gt;","tokenPart1":"LgYemJLy3F1LDkiJrdIGbEzyFJyOyf6vBdyZ1TG3sME",
 *        "recipient":"alice@example.org","responseAddress":"acme+t1@ca.example","createdAt":"2026-11-28T10:00:00Z"}'
 * </pre>
 * The ACME server registers a challenge it sent without James's {@code AcmeChallengeSigner}, so that
 * responses to it are correlated, time-limited and forwarded like those to signed challenges
 * ({@link ChallengeRecorder}; C4, C10, B7). {@code createdAt} is optional (default now); every other
 * field is required, every value a JSON string. Answers the facts recorded: {@code outcome},
 * {@code messageId}, {@code tokenPart1}, {@code recipient}, {@code responseAddress}, {@code tag} (when the
 * response address has one), {@code createdAt}, {@code expiresAt}.
 * <ul>
 *   <li>201: recorded ({@code "outcome":"registered"})</li>
 *   <li>200: the same facts were recorded before ({@code "outcome":"already-registered"})</li>
 *   <li>400: not a JSON object, an unknown field, a value that is not a string, or a value core refuses;
 *       the message names the field</li>
 *   <li>409: other facts are recorded under that Message-ID; nothing changed</li>
 * </ul>
 *
 * <h2>GET /acme-smime/audit?address=&amp;token=&amp;since=&amp;until=&amp;limit=</h2>
 * <pre>curl 'http://127.0.0.1:8001/acme-smime/audit?address=alice@example.org&amp;since=2026-11-01T00:00:00Z'</pre>
 * Audit records, oldest first, as a JSON array of {@code id}, {@code occurredAt}, {@code event} and, when
 * known, {@code address}, {@code token}, {@code messageId}, {@code outcome}, {@code detail}. Every
 * parameter is optional: {@code since}/{@code until} are ISO-8601 instants, {@code limit} is 1..10000
 * (default 1000).
 * <ul><li>200</li><li>400: a bad instant or limit (the message names the parameter)</li></ul>
 *
 * <h2>GET /acme-smime/audit/export?…</h2>
 * <pre>curl 'http://127.0.0.1:8001/acme-smime/audit/export?since=2026-11-01T00:00:00Z' &gt; archive.jsonl</pre>
 * The same records and the full evidence records (raw message, SMTP envelope, DKIM details, checks,
 * correlation) as JSON lines ({@code application/x-ndjson}), one object per line with
 * {@code "type":"audit"} or {@code "type":"evidence"}, for archiving (S/MIME BR 5.5). Same parameters.
 * <ul><li>200</li><li>400: as for {@code /audit}</li></ul>
 *
 * <h2>GET /acme-smime/evidence/{id}</h2>
 * <pre>curl http://127.0.0.1:8001/acme-smime/evidence/42</pre>
 * One evidence record: {@code type}, {@code id}, {@code occurredAt}, {@code kind}, {@code address},
 * {@code token}, {@code messageId}, {@code outcome} and the stored {@code record}.
 * <ul><li>200</li><li>400: {@code id} is not a positive number</li><li>404: no such record</li></ul>
 *
 * <h2>GET /acme-smime/outbox</h2>
 * <pre>curl http://127.0.0.1:8001/acme-smime/outbox</pre>
 * Forwards that are pending, then those that failed (at most 1000 of each): {@code id},
 * {@code destination}, {@code state}, {@code attempts}, {@code createdAt}, {@code nextAttemptAt},
 * {@code lastError}, {@code finishedAt}, and what they carry ({@code contract}, {@code validationId},
 * {@code address}, {@code token}, {@code expiresAt}), or {@code "payload":"unreadable"}.
 * <ul><li>200</li></ul>
 *
 * <h2>POST /acme-smime/outbox/{id}/retry</h2>
 * <pre>curl -XPOST http://127.0.0.1:8001/acme-smime/outbox/7/retry</pre>
 * Makes a failed forward pending again, and wakes the delivery worker when this node forwards.
 * <ul>
 *   <li>204: pending again</li>
 *   <li>400: {@code id} is not a positive number</li>
 *   <li>404: there is no failed item with that id</li>
 * </ul>
 */
public class CaRoutes implements Routes {
    public static final String BASE = "/acme-smime";
    public static final String AUDIT = BASE + "/audit";
    public static final String EXPORT = BASE + "/audit/export";
    public static final String EVIDENCE = BASE + "/evidence/:id";
    public static final String OUTBOX = BASE + "/outbox";
    public static final String RETRY = BASE + "/outbox/:id/retry";
    public static final String CHALLENGES = BASE + "/challenges";
    static final String NDJSON_CONTENT_TYPE = "application/x-ndjson";
    /** Outbox items listed per state: the list is for an operator, not a bulk export. */
    static final int OUTBOX_LIST_LIMIT = 1000;
    private static final String ID = "id";

    private final AcmeSmimeRuntime runtime;
    private final JsonTransformer json = new JsonTransformer();
    private final ChallengeNoticeExtractor notices = new ChallengeNoticeExtractor();

    @Inject
    public CaRoutes(AcmeSmimeRuntime runtime) {
        this.runtime = runtime;
    }

    @Override
    public String getBasePath() {
        return BASE;
    }

    @Override
    public void define(Service service) {
        CrossOriginGuard.installOnce(service, runtime.allowedOrigins());
        definePostChallenge(service);
        defineGetAudit(service);
        defineExportAudit(service);
        defineGetEvidence(service);
        defineGetOutbox(service);
        defineRetryOutboxItem(service);
    }

    private void definePostChallenge(Service service) {
        service.post(CHALLENGES, this::registerChallenge, json);
    }

    private void defineGetAudit(Service service) {
        service.get(AUDIT, this::audit, json);
    }

    private void defineExportAudit(Service service) {
        service.get(EXPORT, this::export);
    }

    private void defineGetEvidence(Service service) {
        service.get(EVIDENCE, this::evidence, json);
    }

    private void defineGetOutbox(Service service) {
        service.get(OUTBOX, this::outbox, json);
    }

    private void defineRetryOutboxItem(Service service) {
        service.post(RETRY, this::retry);
    }

    private Object registerChallenge(Request request, Response response) {
        ChallengeRecorder.Notice notice = notices.extract(request.body()).toNotice();
        ChallengeRecorder.Result result = new ChallengeRecorder(runtime.store(), runtime.clock())
                .register(notice, "WebAdmin from " + request.ip());
        int status = switch (result.outcome()) {
            case REGISTERED -> HttpStatus.CREATED_201;
            case ALREADY_REGISTERED -> HttpStatus.OK_200;
            case CONFLICT -> throw RouteErrors.conflict("%s", result.reason());
            case INVALID -> throw RouteErrors.badRequest("%s", result.reason());
        };
        response.status(status);
        return RecordedChallengeDto.from(result.outcome(), result.challenge().orElseThrow());
    }

    private Object audit(Request request, Response response) {
        return runtime.store().audit().find(AuditQueryParameters.read(request)).stream()
                .map(AuditRecordDto::from).toList();
    }

    private Object export(Request request, Response response) throws JsonProcessingException {
        AuditQuery query = AuditQueryParameters.read(request);
        List<Object> lines = new ArrayList<>();
        runtime.store().audit().find(query).forEach(a -> lines.add(AuditRecordDto.exportLine(a)));
        runtime.store().evidence().find(query).forEach(e -> lines.add(EvidenceRecordDto.from(e)));
        StringBuilder body = new StringBuilder();
        for (Object line : lines) {
            body.append(json.render(line)).append('\n');
        }
        response.type(NDJSON_CONTENT_TYPE);
        return body.toString();
    }

    private Object evidence(Request request, Response response) {
        long id = id(request);
        return runtime.store().evidence().find(id).map(EvidenceRecordDto::from)
                .orElseThrow(() -> RouteErrors.notFound("no evidence record %d", id));
    }

    private Object outbox(Request request, Response response) {
        List<OutboxItem> items = new ArrayList<>(runtime.store().outbox().listPending(OUTBOX_LIST_LIMIT));
        items.addAll(runtime.store().outbox().listFailed(OUTBOX_LIST_LIMIT));
        return items.stream().map(OutboxItemDto::from).toList();
    }

    private Object retry(Request request, Response response) {
        long id = id(request);
        if (!runtime.store().outbox().retry(id)) {
            throw RouteErrors.notFound("no failed outbox item %d", id);
        }
        try {
            runtime.deliveryWorker().wakeUp();
        } catch (IllegalArgumentException e) {
            // no forward target here: the item waits for a node that has one
        }
        response.status(HttpStatus.NO_CONTENT_204);
        return Constants.EMPTY_BODY;
    }

    /** The {@code :id} path value, checked before any work as James's routes check theirs. */
    private static long id(Request request) {
        String value = request.params(ID);
        try {
            long id = Long.parseLong(value);
            if (id > 0) {
                return id;
            }
        } catch (NumberFormatException e) {
            // answered below, like a number out of range
        }
        throw RouteErrors.badRequest("'%s' must be a positive number, got '%s'", ID, value);
    }
}
