package dev.acmesmime.james.webadmin;

import java.util.Map;
import java.util.Optional;

import javax.inject.Inject;

import org.apache.james.mailbox.MailboxManager;
import org.apache.james.user.api.UsersRepository;
import org.apache.james.webadmin.Routes;
import org.apache.james.webadmin.utils.JsonExtractException;
import org.apache.james.webadmin.utils.JsonExtractor;
import org.apache.james.webadmin.utils.JsonTransformer;
import org.eclipse.jetty.http.HttpStatus;

import dev.acmesmime.enrolment.IssuedCertificate;
import dev.acmesmime.gateway.CorrespondentCertificate;
import dev.acmesmime.gateway.EncryptPolicy;
import dev.acmesmime.gateway.GatewaySettings;
import dev.acmesmime.gateway.Lookup;
import dev.acmesmime.gateway.SignPolicy;
import dev.acmesmime.gateway.SigningIdentity;
import dev.acmesmime.james.runtime.AcmeSmimeRuntime;
import dev.acmesmime.james.webadmin.GatewayPolicyDtos.PoliciesDto;
import dev.acmesmime.james.webadmin.GatewayPolicyDtos.PolicyRequest;
import dev.acmesmime.james.webadmin.GatewayPolicyDtos.ScopeDto;
import dev.acmesmime.store.GatewayPolicyOverride;
import spark.Request;
import spark.Response;
import spark.Service;

/**
 * WebAdmin routes of the S/MIME gateway (issue 16): signing and encryption policies per domain or mailbox,
 * certificates for correspondents and directories, and each user's key as PKCS#12.
 * <p>
 * Loaded by James 3.8.1 through {@code webadmin.properties}, beside {@link EnrolmentRoutes}:
 * <pre>extensions.routes=…,dev.acmesmime.james.webadmin.EnrolmentRoutes,dev.acmesmime.james.webadmin.GatewayRoutes</pre>
 * The {@code gateway.*} settings ({@link GatewaySettings}) are checked when the routes are defined, so a bad
 * one stops James at start-up with a message naming its key.
 *
 * <h2>GET /acme-smime/gateway/policies</h2>
 * <pre>curl http://127.0.0.1:8001/acme-smime/gateway/policies</pre>
 * {@code defaults} ({@code sign}, {@code encrypt}, {@code headerProtection}), the scopes the settings file
 * names ({@code configured}) and the WebAdmin overrides ({@code overrides}, with {@code updatedAt}). A
 * {@code null} policy inherits. 200.
 *
 * <h2>GET|PUT|DELETE /acme-smime/gateway/policies/{scope}</h2>
 * <pre>curl -XPUT http://127.0.0.1:8001/acme-smime/gateway/policies/org.example -d '{"sign":"sign","encrypt":"opportunistic"}'
 * curl -XPUT http://127.0.0.1:8001/acme-smime/gateway/policies/ceo@org.example -d '{"sign":"off"}'
 * curl -XDELETE http://127.0.0.1:8001/acme-smime/gateway/policies/ceo@org.example</pre>
 * The override of a domain or a mailbox: {@code sign} is {@code off} or {@code sign}, {@code encrypt} is
 * {@code off}, {@code opportunistic} or {@code required}; absent or {@code null} inherits. It beats the
 * settings file for the same scope; a mailbox beats its domain. It applies on this node at once and on
 * every other within {@code 2 s}.
 * <ul><li>GET 200, 404 no override; PUT 200 the override as stored; DELETE 204, 404 there was none</li>
 * <li>400: the scope is not a domain or a mailbox, or a policy is not one of its values</li></ul>
 *
 * <h2>GET|DELETE /acme-smime/certificates/{address}</h2>
 * <pre>curl http://127.0.0.1:8001/acme-smime/certificates/alice@org.example</pre>
 * GET: the certificate chain to encrypt to {@code address}, PEM, leaf first
 * ({@code application/pem-certificate-chain}): a local mailbox's current enrolled certificate (only when
 * usable, G2), else the current certificate harvested from a correspondent's signed mail (G6). 404 when
 * there is none. DELETE forgets a correspondent's harvested certificates: 200 {@code {"deleted": n}}, 404
 * when none were stored. 400: not a mailbox.
 *
 * <h2>POST /acme-smime/enrolments/{mailbox}/pkcs12</h2>
 * <pre>curl -XPOST http://127.0.0.1:8001/acme-smime/enrolments/alice@org.example/pkcs12 \
 *      -d '{"password":"a long passphrase"}' -o alice.p12
 * curl -XPOST http://127.0.0.1:8001/acme-smime/enrolments/alice@org.example/pkcs12 -d '{"deliver":true}'</pre>
 * The mailbox's key and chain as PKCS#12 ({@code application/x-pkcs12}): AES-256-CBC with PBKDF2-HMAC-SHA256
 * and a SHA-256 MAC, or with {@code "legacy":true} 3DES/RC2-40 and SHA-1 for old clients (G10). With
 * {@code "deliver":true} and no password, a one-time password is made, the file is put into the user's
 * INBOX as a mail, and the answer {@code {"delivered":true,"password":"…"}} is the only place the password
 * appears: hand it to the user another way. Audited ({@code pkcs12-exported}) and counted
 * ({@code acme-smime.gateway.pkcs12.exported}).
 * <ul><li>200</li><li>400: not a mailbox, a password shorter than 8 characters, a password with
 * {@code deliver}</li><li>404: no usable certificate (none, revoked, expired, key mismatch), or with
 * {@code deliver} not a user of this server</li></ul>
 *
 * James 3.8.1's WebAdmin itself puts every request and response body into the MDC of an INFO line
 * ({@code org.apache.james.webadmin.mdc}); the shipped {@code logback.xml} sets that logger to WARN, so that the
 * passwords never reach a log whose encoder prints the MDC (a JSON encoder does). Keep it so.
 * <p>
 * Errors are James's JSON error documents ({@code statusCode}, {@code type}, {@code message}).
 */
public class GatewayRoutes implements Routes {
    public static final String POLICIES = OrganisationRoutes.BASE_PATH + "/gateway/policies";
    public static final String POLICY = POLICIES + "/:scope";
    public static final String CERTIFICATES = OrganisationRoutes.BASE_PATH + "/certificates/:address";
    public static final String PKCS12 = EnrolmentRoutes.BASE_PATH + "/:mailbox/pkcs12";

    private final AcmeSmimeRuntime runtime;
    private final Pkcs12Exports pkcs12;
    private final JsonTransformer json = new JsonTransformer();
    private final JsonExtractor<PolicyRequest> policyExtractor = new JsonExtractor<>(PolicyRequest.class);

    @Inject
    public GatewayRoutes(AcmeSmimeRuntime runtime, UsersRepository users, MailboxManager mailboxes) {
        this.runtime = runtime;
        this.pkcs12 = new Pkcs12Exports(runtime, users, new InboxDelivery(mailboxes, users));
    }

    @Override
    public String getBasePath() {
        return POLICIES;
    }

    @Override
    public void define(Service service) {
        CrossOriginGuard.installOnce(service, runtime.allowedOrigins());
        GatewaySettings.fromProperties(runtime.settings());
        defineListPolicies(service);
        defineGetPolicy(service);
        definePutPolicy(service);
        defineDeletePolicy(service);
        defineGetCertificate(service);
        defineDeleteCertificates(service);
        definePkcs12(service);
    }

    private void defineListPolicies(Service service) {
        service.get(POLICIES, (request, response) -> PoliciesDto.of(runtime.gatewayPolicies().settings(),
                runtime.store().gatewayPolicies().all()), json);
    }

    private void defineGetPolicy(Service service) {
        service.get(POLICY, (request, response) -> runtime.store().gatewayPolicies().find(scope(request))
                .map(ScopeDto::of).orElseThrow(() -> RouteErrors.notFound("no override for %s", scope(request))), json);
    }

    private void definePutPolicy(Service service) {
        service.put(POLICY, this::putPolicy, json);
    }

    private void defineDeletePolicy(Service service) {
        service.delete(POLICY, this::deletePolicy);
    }

    private void defineGetCertificate(Service service) {
        service.get(CERTIFICATES, this::certificate);
    }

    private void defineDeleteCertificates(Service service) {
        service.delete(CERTIFICATES, this::forgetCertificates, json);
    }

    private void definePkcs12(Service service) {
        service.post(PKCS12, pkcs12::export);
    }

    private static String scope(Request request) {
        try {
            return GatewayPolicyOverride.normalise(request.params("scope"));
        } catch (IllegalArgumentException e) {
            throw RouteErrors.badRequest("'scope' %s", e.getMessage());
        }
    }

    private Object putPolicy(Request request, Response response) {
        String scope = scope(request);
        PolicyRequest body;
        try {
            body = policyExtractor.parse(request.body());
        } catch (JsonExtractException e) {
            throw RouteErrors.badRequest("the body must be JSON {\"sign\": \"off|sign\", \"encrypt\": "
                    + "\"off|opportunistic|required\"}: %s", e.getMessage());
        }
        if (body == null) {
            throw RouteErrors.badRequest("the body must be JSON {\"sign\": …, \"encrypt\": …}");
        }
        Optional<SignPolicy> sign = Optional.ofNullable(body.sign()).map(s -> SignPolicy.parse(s)
                .orElseThrow(() -> RouteErrors.badRequest("'sign' must be off or sign, got '%s'", s)));
        Optional<EncryptPolicy> encrypt = Optional.ofNullable(body.encrypt()).map(s -> EncryptPolicy.parse(s)
                .orElseThrow(() -> RouteErrors.badRequest("'encrypt' must be off, opportunistic or required, got '%s'", s)));
        GatewayPolicyOverride saved = runtime.store().gatewayPolicies().save(GatewayPolicyOverride.of(scope, sign, encrypt));
        runtime.gatewayPolicies().refresh();
        return ScopeDto.of(saved);
    }

    private Object deletePolicy(Request request, Response response) {
        String scope = scope(request);
        if (!runtime.store().gatewayPolicies().delete(scope)) {
            throw RouteErrors.notFound("no override for %s", scope);
        }
        runtime.gatewayPolicies().refresh();
        response.status(HttpStatus.NO_CONTENT_204);
        return "";
    }

    private Object certificate(Request request, Response response) {
        String address = LocalMailboxes.mailbox(request.params("address"), "address");
        Lookup<SigningIdentity> local = runtime.certificateDirectory().identity(address);
        String pem = local.value().map(identity -> IssuedCertificate.of(identity.chain()).pem())
                .or(() -> runtime.store().correspondents().current(address, runtime.clock().instant())
                        .map(CorrespondentCertificate::certificatePem))
                .orElseThrow(() -> RouteErrors.notFound("no usable certificate is known for %s: %s", address,
                        local.reason()));
        response.type(EnrolmentRoutes.PEM_CHAIN);
        return pem;
    }

    private Object forgetCertificates(Request request, Response response) {
        String address = LocalMailboxes.mailbox(request.params("address"), "address");
        int deleted = runtime.store().correspondents().delete(address);
        if (deleted == 0) {
            throw RouteErrors.notFound("no harvested certificate of %s is stored", address);
        }
        return Map.of("deleted", deleted);
    }
}
