package dev.acmesmime.james.webadmin;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

import javax.inject.Inject;

import org.apache.james.task.TaskManager;
import org.apache.james.user.api.UsersRepository;
import org.apache.james.webadmin.Routes;
import org.apache.james.webadmin.tasks.TaskFromRequestRegistry;
import org.apache.james.webadmin.tasks.TaskRegistrationKey;
import org.apache.james.webadmin.utils.JsonTransformer;
import org.eclipse.jetty.http.HttpStatus;

import dev.acmesmime.enrolment.Enroller;
import dev.acmesmime.enrolment.EnrolmentSettings;
import dev.acmesmime.james.enrolment.EnrolmentService;
import dev.acmesmime.james.runtime.AcmeSmimeRuntime;
import dev.acmesmime.store.Enrolment;
import dev.acmesmime.store.EnrolmentStore;
import spark.Request;
import spark.Response;
import spark.Service;

/**
 * WebAdmin routes of the automatic S/MIME enrolment (RFC 8823): each mailbox's status, its
 * certificate chain, and enrolment on demand, for one mailbox or all of them as a James task.
 * <p>
 * Loaded by James 3.8.1 through {@code webadmin.properties}, beside {@link OrganisationRoutes}:
 * <pre>extensions.routes=dev.acmesmime.james.webadmin.OrganisationRoutes,dev.acmesmime.james.webadmin.EnrolmentRoutes</pre>
 *
 * <h2>GET /acme-smime/enrolments[?domain=…][&amp;status=…][&amp;after=…][&amp;limit=100]</h2>
 * <pre>curl 'http://127.0.0.1:8001/acme-smime/enrolments?domain=org.example&amp;status=failed'</pre>
 * The enrolments in mailbox order, at most {@code limit} (1..{@value EnrolmentStore#MAX_PAGE}, default
 * {@value #DEFAULT_LIMIT}); the next page starts {@code after} the last mailbox of this one. Each is
 * {@code mailbox}, {@code status} ({@code none}, {@code pending}, {@code issued}, {@code failed}), {@code step}
 * (where a pending one is: {@code key-ready}, {@code ordered}, {@code challenge-registered}, {@code answered},
 * {@code posted}, {@code valid}, {@code finalizing}), {@code profile}, {@code expires} (the certificate's end),
 * {@code nextAttemptAt}, {@code attempts} (retries at this step), {@code reason} and {@code problemType} (the
 * CA's problem document type, such as {@code urn:ietf:params:acme:error:rateLimited}). Never a key.
 * <ul><li>200</li><li>400: {@code status} is not one of the four, {@code limit} out of range, {@code after}
 * not a mailbox</li></ul>
 *
 * <h2>GET /acme-smime/enrolments/{mailbox}/certificate</h2>
 * <pre>curl http://127.0.0.1:8001/acme-smime/enrolments/alice@org.example/certificate</pre>
 * The mailbox's current certificate chain, PEM, leaf first ({@code application/pem-certificate-chain},
 * RFC 8555 §9.1). The private key is never served.
 * <ul><li>200</li><li>400: not a mailbox</li><li>404: no certificate was issued to it</li></ul>
 *
 * <h2>POST /acme-smime/enrolments/{mailbox}</h2>
 * <pre>curl -XPOST http://127.0.0.1:8001/acme-smime/enrolments/alice@org.example</pre>
 * Enrol the mailbox now: a new enrolment, a failed one tried again, an issued one renewed; one in progress
 * keeps its order and is only worked on at once. Answers its status as {@code GET} shows it.
 * <ul><li>202: accepted, the engine works on it</li><li>400: not a mailbox, or no CA profile covers its
 * domain</li><li>404: not a user of this server</li><li>409: the enrolment is off
 * ({@code enrolment.enabled=false})</li></ul>
 *
 * <h2>POST /acme-smime/enrolments/{mailbox}/revoke</h2>
 * <pre>curl -XPOST http://127.0.0.1:8001/acme-smime/enrolments/alice@org.example/revoke</pre>
 * Revoke the mailbox's certificate at its CA (RFC 8555 §7.6), for a lost device or a leaked key. The certificate
 * and its key leave the enrolment even if the CA refuses (its refusal is audited), so the gateway stops using them
 * at once; the enrolment rests at {@code none} until an admin enrols the mailbox again ({@code POST} above: a new
 * key and a new order). Answers its status as {@code GET} shows it.
 * <ul><li>200</li><li>400: not a mailbox</li><li>404: no certificate was issued to it</li><li>409: the
 * enrolment is off</li></ul>
 *
 * <h2>POST /acme-smime/enrolments?action=enrolAll|renewDue</h2>
 * <pre>curl -XPOST 'http://127.0.0.1:8001/acme-smime/enrolments?action=enrolAll'</pre>
 * A James task: {@code enrolAll} enrols every user in scope (new ones get an enrolment, failed ones are
 * tried again), {@code renewDue} makes every issued enrolment due, so those in their renewal window are
 * renewed now. Answers {@code {"taskId": …}}; {@code GET /tasks/{taskId}} shows its progress under
 * {@code additionalInformation}: {@code done}, {@code failed}, {@code pending}.
 * <ul><li>201: the task is submitted</li><li>400: no or another {@code action}</li><li>409: the enrolment
 * is off</li></ul>
 *
 * Errors are James's JSON error documents ({@code statusCode}, {@code type}, {@code message}).
 */
public class EnrolmentRoutes implements Routes {

    public static final String BASE_PATH = OrganisationRoutes.BASE_PATH + "/enrolments";
    public static final String CERTIFICATE = BASE_PATH + "/:mailbox/certificate";
    /** RFC 8555 §9.1. */
    public static final String PEM_CHAIN = "application/pem-certificate-chain";
    static final int DEFAULT_LIMIT = 100;
    static final String ACTION = "action";

    private final AcmeSmimeRuntime runtime;
    private final UsersRepository users;
    private final EnrolmentService enrolment;
    private final TaskManager tasks;
    private final JsonTransformer json = new JsonTransformer();

    @Inject
    public EnrolmentRoutes(AcmeSmimeRuntime runtime, UsersRepository users, EnrolmentService enrolment,
                           TaskManager tasks) {
        this.runtime = runtime;
        this.users = users;
        this.enrolment = enrolment;
        this.tasks = tasks;
    }

    @Override
    public String getBasePath() {
        return BASE_PATH;
    }

    @Override
    public void define(Service service) {
        CrossOriginGuard.installOnce(service, runtime.allowedOrigins());
        defineList(service);
        defineCertificate(service);
        defineEnrolNow(service);
        defineRevoke(service);
        defineTasks(service);
    }

    private void defineList(Service service) {
        service.get(BASE_PATH, this::list, json);
    }

    private void defineCertificate(Service service) {
        service.get(CERTIFICATE, this::certificate);
    }

    private void defineEnrolNow(Service service) {
        service.post(BASE_PATH + "/:mailbox", this::enrolNow, json);
    }

    private void defineRevoke(Service service) {
        service.post(BASE_PATH + "/:mailbox/revoke", this::revoke, json);
    }

    private void defineTasks(Service service) {
        service.post(BASE_PATH, TaskFromRequestRegistry.builder().parameterName(ACTION)
                .register(TaskRegistrationKey.of("enrolAll"), request -> enrolment.enrolAll(engine()))
                .register(TaskRegistrationKey.of("renewDue"), request -> enrolment.renewDue(engine()))
                .buildAsRoute(tasks), json);
    }

    private Object enrolNow(Request request, Response response) {
        String mailbox = LocalMailboxes.mailbox(request.params("mailbox"), "mailbox");
        LocalMailboxes.requireUser(users, mailbox);
        Enroller engine = engine();
        Enrolment enrolled;
        try {
            enrolled = engine.enrolNow(mailbox);
        } catch (IllegalArgumentException e) {
            throw RouteErrors.badRequest("%s", e.getMessage());
        }
        response.status(HttpStatus.ACCEPTED_202);
        return EnrolmentDto.of(enrolled);
    }

    private Object revoke(Request request, Response response) {
        String mailbox = LocalMailboxes.mailbox(request.params("mailbox"), "mailbox");
        return engine().revokeNow(mailbox).map(EnrolmentDto::of)
                .orElseThrow(() -> RouteErrors.notFound("no certificate was issued to %s", mailbox));
    }

    private Enroller engine() {
        return enrolment.enroller().orElseThrow(() -> RouteErrors.conflict("the automatic enrolment is off (%s=false)",
                EnrolmentSettings.ENABLED));
    }

    private Object list(Request request, Response response) {
        Optional<String> domain = Optional.ofNullable(request.queryParams("domain")).map(String::trim);
        Optional<EnrolmentStatus> status = Optional.ofNullable(request.queryParams("status"))
                .map(s -> EnrolmentStatus.parse(s).orElseThrow(() -> RouteErrors.badRequest(
                        "'status' must be none, pending, issued or failed")));
        Optional<String> after = Optional.ofNullable(request.queryParams("after"))
                .map(a -> LocalMailboxes.mailbox(a, "after"));
        int limit = PageLimit.read(request.queryParams(PageLimit.LIMIT), DEFAULT_LIMIT, EnrolmentStore.MAX_PAGE);
        return page(domain, status, after, limit).stream().map(EnrolmentDto::of).collect(Collectors.toList());
    }

    /**
     * One page; {@code pending} is every step with a live order, so it is read in store pages and
     * filtered, never more than {@value EnrolmentStore#MAX_PAGE} rows at a time.
     */
    private List<Enrolment> page(Optional<String> domain, Optional<EnrolmentStatus> status, Optional<String> after,
                                 int limit) {
        EnrolmentStore store = runtime.store().enrolments();
        if (status.isEmpty() || status.get().step().isPresent()) {
            return store.list(domain, status.flatMap(EnrolmentStatus::step), after, limit);
        }
        List<Enrolment> found = new ArrayList<>();
        Optional<String> cursor = after;
        while (found.size() < limit) {
            List<Enrolment> batch = store.list(domain, Optional.empty(), cursor, EnrolmentStore.MAX_PAGE);
            batch.stream().filter(e -> !e.step().isRest()).limit(limit - found.size()).forEach(found::add);
            if (batch.size() < EnrolmentStore.MAX_PAGE) {
                break;
            }
            cursor = Optional.of(batch.get(batch.size() - 1).mailbox());
        }
        return found;
    }

    private Object certificate(Request request, Response response) {
        String mailbox = LocalMailboxes.mailbox(request.params("mailbox"), "mailbox");
        String pem = runtime.store().enrolments().find(mailbox).flatMap(Enrolment::certificatePem)
                .orElseThrow(() -> RouteErrors.notFound("no certificate was issued to %s", mailbox));
        response.type(PEM_CHAIN);
        return pem;
    }
}
