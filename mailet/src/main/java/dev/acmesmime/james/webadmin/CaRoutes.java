package dev.acmesmime.james.webadmin;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.inject.Inject;

import org.apache.james.webadmin.Routes;
import org.apache.james.webadmin.utils.ErrorResponder;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.acmesmime.ca.ChallengeRecorder;
import dev.acmesmime.ca.forward.ForwardEnvelope;
import dev.acmesmime.james.runtime.AcmeSmimeRuntime;
import dev.acmesmime.rfc8823.Untrusted;
import dev.acmesmime.store.AuditQuery;
import dev.acmesmime.store.AuditRecord;
import dev.acmesmime.store.EvidenceRecord;
import dev.acmesmime.store.IssuedChallenge;
import dev.acmesmime.store.OutboxItem;
import spark.Request;
import spark.Response;
import spark.Service;

/**
 * WebAdmin routes of the CA role: the audit log, the evidence records and the forward outbox.
 * <ul>
 * <li>{@code GET /acme-smime/audit?address=&token=&since=&until=&limit=}: audit records, oldest first,
 *     as a JSON array ({@code since}/{@code until}: ISO-8601 instants; {@code limit} 1..10000, default 1000).
 *     {@code curl 'http://127.0.0.1:8001/acme-smime/audit?address=alice@example.org&since=2026-11-01T00:00:00Z'}</li>
 * <li>{@code GET /acme-smime/audit/export?...}: the same records and the full evidence records
 *     (raw message, SMTP envelope, DKIM details, checks, correlation) as JSON lines
 *     ({@code application/x-ndjson}), one object per line with {@code "type":"audit"} or
 *     {@code "type":"evidence"}, for archiving (S/MIME BR 5.5).</li>
 * <li>{@code GET /acme-smime/evidence/{id}}: one evidence record.</li>
 * <li>{@code GET /acme-smime/outbox}: forwards that are pending or failed, with attempts and last error.</li>
 * <li>{@code POST /acme-smime/outbox/{id}/retry}: makes a failed forward pending again (204; 404 when
 *     there is no failed item with that id).</li>
 * <li>{@code POST /acme-smime/challenges}: the ACME server registers a challenge it sent without
 *     James's {@code AcmeChallengeSigner}, so that responses to it are correlated, time-limited and
 *     forwarded like those to signed challenges ({@link ChallengeRecorder}). Body: a JSON object
 *     {@code {"messageId": "<c1@ca.example>", "tokenPart1": "...", "recipient": "alice@example.org",
 *     "responseAddress": "acme+t1@ca.example", "createdAt": "2026-11-28T10:00:00Z"}} ({@code createdAt}
 *     optional, default now). Answers 201 with the recorded facts; 200 with them when the same facts
 *     were recorded before; 409 when other facts are recorded under that Message-ID; 400 naming the
 *     field for bad input (unknown fields included).
 *     {@code curl -X POST --data @challenge.json http://127.0.0.1:8001/acme-smime/challenges}</li>
 * </ul>
 * Errors answer 400 / 404 / 409 as James's WebAdmin does: {@code {statusCode, type, message, details}}.
 * The routes are as protected as WebAdmin itself: keep it on loopback or enable its JWT
 * authentication ({@code jwt.enabled=true} in {@code webadmin.properties}).
 * <p>
 * Registered in {@code conf/webadmin.properties}:
 * <pre>
 * extensions.routes=dev.acmesmime.james.webadmin.CaRoutes
 * </pre>
 */
public class CaRoutes implements Routes {
    public static final String BASE = "/acme-smime";
    public static final String AUDIT = BASE + "/audit";
    public static final String EXPORT = BASE + "/audit/export";
    public static final String EVIDENCE = BASE + "/evidence/:id";
    public static final String OUTBOX = BASE + "/outbox";
    public static final String RETRY = BASE + "/outbox/:id/retry";
    public static final String CHALLENGES = BASE + "/challenges";
    private static final java.util.Set<String> NOTICE_FIELDS =
            java.util.Set.of("messageId", "tokenPart1", "recipient", "responseAddress", "createdAt");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final AcmeSmimeRuntime runtime;

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
        service.get(AUDIT, this::audit);
        service.get(EXPORT, this::export);
        service.get(EVIDENCE, this::evidence);
        service.get(OUTBOX, this::outbox);
        service.post(RETRY, this::retry);
        service.post(CHALLENGES, this::registerChallenge);
    }

    private String registerChallenge(Request req, Response res) throws JsonProcessingException {
        ChallengeRecorder.Notice notice = notice(req.body());
        ChallengeRecorder.Result r = new ChallengeRecorder(runtime.store(), runtime.clock())
                .register(notice, "WebAdmin from " + req.ip());
        switch (r.outcome()) {
            case INVALID -> throw ErrorResponder.builder().statusCode(400)
                    .type(ErrorResponder.ErrorType.INVALID_ARGUMENT).message("%s", r.reason()).haltError();
            case CONFLICT -> throw ErrorResponder.builder().statusCode(409)
                    .type(ErrorResponder.ErrorType.WRONG_STATE).message("%s", r.reason()).haltError();
            default -> {
                IssuedChallenge c = r.challenge().orElseThrow();
                ObjectNode n = JSON.createObjectNode();
                n.put("outcome", r.outcome().code());
                n.put("messageId", c.messageId());
                n.put("tokenPart1", c.tokenPart1());
                n.put("recipient", c.identifier());
                n.put("responseAddress", c.responseAddress());
                c.tag().ifPresent(t -> n.put("tag", t));
                n.put("createdAt", c.createdAt().toString());
                n.put("expiresAt", c.expiresAt().toString());
                res.status(r.outcome() == ChallengeRecorder.Outcome.REGISTERED ? 201 : 200);
                res.type("application/json");
                return JSON.writeValueAsString(n);
            }
        }
    }

    /** The body as a notice: a JSON object of string fields, nothing else (a typo must not pass as absent). */
    private static ChallengeRecorder.Notice notice(String body) {
        JsonNode n;
        try {
            n = body == null || body.isBlank() ? null : JSON.readTree(body);
        } catch (JsonProcessingException e) {
            n = null;
        }
        if (n == null || !n.isObject()) {
            throw badRequest("the body must be a JSON object with the fields " + new java.util.TreeSet<>(NOTICE_FIELDS));
        }
        for (java.util.Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            if (!NOTICE_FIELDS.contains(f.getKey())) {
                throw badRequest(Untrusted.quote(f.getKey()) + " is not a field of a challenge notice "
                        + new java.util.TreeSet<>(NOTICE_FIELDS));
            }
            if (!f.getValue().isTextual() && !f.getValue().isNull()) {
                throw badRequest("'" + f.getKey() + "' must be a string");
            }
        }
        return new ChallengeRecorder.Notice(text(n, "messageId"), text(n, "tokenPart1"), text(n, "recipient"),
                text(n, "responseAddress"), text(n, "createdAt"));
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static spark.HaltException badRequest(String message) {
        return ErrorResponder.builder().statusCode(400).type(ErrorResponder.ErrorType.INVALID_ARGUMENT)
                .message("%s", message).haltError();
    }

    private String audit(Request req, Response res) throws JsonProcessingException {
        AuditQuery q = query(req);
        ArrayNode out = JSON.createArrayNode();
        runtime.store().audit().find(q).forEach(a -> out.add(audit(a)));
        res.type("application/json");
        return JSON.writeValueAsString(out);
    }

    private String export(Request req, Response res) throws JsonProcessingException {
        AuditQuery q = query(req);
        StringBuilder sb = new StringBuilder();
        for (AuditRecord a : runtime.store().audit().find(q)) {
            ObjectNode n = audit(a);
            n.put("type", "audit");
            sb.append(JSON.writeValueAsString(n)).append('\n');
        }
        for (EvidenceRecord e : runtime.store().evidence().find(q)) {
            sb.append(JSON.writeValueAsString(evidence(e))).append('\n');
        }
        res.type("application/x-ndjson");
        return sb.toString();
    }

    private String evidence(Request req, Response res) throws JsonProcessingException {
        long id = id(req);
        EvidenceRecord e = runtime.store().evidence().find(id).orElseThrow(() -> notFound("no evidence record " + id));
        res.type("application/json");
        return JSON.writeValueAsString(evidence(e));
    }

    private String outbox(Request req, Response res) throws JsonProcessingException {
        ArrayNode out = JSON.createArrayNode();
        List<OutboxItem> items = new java.util.ArrayList<>(runtime.store().outbox().listPending(1000));
        items.addAll(runtime.store().outbox().listFailed(1000));
        for (OutboxItem i : items) {
            ObjectNode n = out.addObject();
            n.put("id", i.id());
            n.put("destination", i.destination());
            n.put("state", i.state().name().toLowerCase(java.util.Locale.ROOT));
            n.put("attempts", i.attempts());
            n.put("createdAt", i.createdAt().toString());
            n.put("nextAttemptAt", i.nextAttemptAt().toString());
            i.lastError().ifPresent(v -> n.put("lastError", v));
            i.finishedAt().ifPresent(v -> n.put("finishedAt", v.toString()));
            try {
                ForwardEnvelope e = ForwardEnvelope.fromBytes(i.payload());
                n.put("contract", e.contract().option());
                n.put("validationId", e.id());
                n.put("address", e.address());
                n.put("token", e.token());
                n.put("expiresAt", e.expiresAt().toString());
            } catch (IllegalArgumentException ex) {
                n.put("payload", "unreadable");
            }
        }
        res.type("application/json");
        return JSON.writeValueAsString(out);
    }

    private String retry(Request req, Response res) {
        long id = id(req);
        if (!runtime.store().outbox().retry(id)) {
            throw notFound("no failed outbox item " + id);
        }
        try {
            runtime.deliveryWorker().wakeUp();
        } catch (IllegalArgumentException e) {
            // no forward target here: the item waits for a node that has one
        }
        res.status(204);
        return "";
    }

    private static long id(Request req) {
        try {
            long id = Long.parseLong(req.params("id"));
            if (id > 0) {
                return id;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw ErrorResponder.builder().statusCode(400).type(ErrorResponder.ErrorType.INVALID_ARGUMENT)
                .message("'id' must be a positive number, got '%s'", req.params("id")).haltError();
    }

    private static spark.HaltException notFound(String message) {
        return ErrorResponder.builder().statusCode(404).type(ErrorResponder.ErrorType.NOT_FOUND).message(message)
                .haltError();
    }

    private static AuditQuery query(Request req) {
        AuditQuery.Builder b = AuditQuery.builder();
        Optional.ofNullable(req.queryParams("address")).filter(s -> !s.isBlank()).ifPresent(b::address);
        Optional.ofNullable(req.queryParams("token")).filter(s -> !s.isBlank()).ifPresent(b::token);
        instant(req, "since").ifPresent(b::from);
        instant(req, "until").ifPresent(b::until);
        String limit = req.queryParams("limit");
        if (limit != null && !limit.isBlank()) {
            try {
                int n = Integer.parseInt(limit.trim());
                if (n < 1 || n > 10_000) {
                    throw new NumberFormatException();
                }
                b.limit(n);
            } catch (NumberFormatException e) {
                throw ErrorResponder.builder().statusCode(400).type(ErrorResponder.ErrorType.INVALID_ARGUMENT)
                        .message("'limit' must be a number from 1 to 10000, got '%s'", limit).haltError();
            }
        }
        return b.build();
    }

    private static Optional<Instant> instant(Request req, String name) {
        String v = req.queryParams(name);
        if (v == null || v.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.parse(v.trim()));
        } catch (DateTimeParseException e) {
            throw ErrorResponder.builder().statusCode(400).type(ErrorResponder.ErrorType.INVALID_ARGUMENT)
                    .message("'%s' must be an ISO-8601 instant such as 2026-11-28T00:00:00Z, got '%s'", name, v)
                    .haltError();
        }
    }

    private static ObjectNode audit(AuditRecord a) {
        ObjectNode n = JSON.createObjectNode();
        n.put("id", a.id());
        n.put("occurredAt", a.occurredAt().toString());
        n.put("event", a.event());
        a.address().ifPresent(v -> n.put("address", v));
        a.token().ifPresent(v -> n.put("token", v));
        a.messageId().ifPresent(v -> n.put("messageId", v));
        a.outcome().ifPresent(v -> n.put("outcome", v));
        a.detail().ifPresent(v -> n.put("detail", v));
        return n;
    }

    private static ObjectNode evidence(EvidenceRecord e) {
        ObjectNode n = JSON.createObjectNode();
        n.put("type", "evidence");
        n.put("id", e.id());
        n.put("occurredAt", e.occurredAt().toString());
        n.put("kind", e.kind());
        e.address().ifPresent(v -> n.put("address", v));
        e.token().ifPresent(v -> n.put("token", v));
        e.messageId().ifPresent(v -> n.put("messageId", v));
        n.put("outcome", e.outcome());
        try {
            JsonNode record = JSON.readTree(e.json());
            n.set("record", record);
        } catch (java.io.IOException ex) {
            n.put("recordBase64", Base64.getEncoder().encodeToString(e.json()));
        }
        return n;
    }
}
