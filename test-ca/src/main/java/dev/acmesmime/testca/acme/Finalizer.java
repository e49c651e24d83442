package dev.acmesmime.testca.acme;

import com.fasterxml.jackson.databind.JsonNode;
import dev.acmesmime.testca.TestCaSettings;
import dev.acmesmime.testca.pki.CertificateAuthority;
import dev.acmesmime.testca.pki.CsrCheck;
import dev.acmesmime.testca.pki.IssuedCertificate;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finalize and certificate download (RFC 8555 §7.4, §7.4.2). Finalize needs a ready order (else
 * orderNotReady, 403) and a CSR the CA accepts ({@code pki.CertificateAuthority.checkCsr}: its rfc822Name SANs
 * exactly the order's addresses, R16; else badCSR with the CA's reason, and the order stays ready for another
 * try). The certificate lives {@code certificate.lifetime} and is downloaded by POST-as-GET as
 * {@value #PEM_CHAIN}: leaf, then intermediate.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8555#section-7.4">RFC 8555 §7.4</a>
 */
public final class Finalizer {
    public static final String PEM_CHAIN = "application/pem-certificate-chain";
    private static final Logger LOG = LoggerFactory.getLogger(Finalizer.class);

    private final TestCaSettings settings;
    private final PostGate gate;
    private final Orders orders;
    private final IssuedCertificates certificates;
    private final CertificateAuthority ca;
    private final OrderResource orderResource;
    private final Urls urls;
    private final Clock clock;

    public Finalizer(TestCaSettings settings, PostGate gate, Orders orders, IssuedCertificates certificates,
                     CertificateAuthority ca, OrderResource orderResource, Urls urls, Clock clock) {
        this.settings = settings;
        this.gate = gate;
        this.orders = orders;
        this.certificates = certificates;
        this.ca = ca;
        this.orderResource = orderResource;
        this.urls = urls;
        this.clock = clock;
    }

    /** POST finalize {@code {"csr": base64url(DER)}}. */
    public void finalizeOrder(Exchange ex) {
        SignedRequest req = gate.open(ex, JwsVerifier.KeyHeader.KID);
        Order order = orders.byId(ex.tail()).orElseThrow(() -> OrderResource.notFound(ex));
        OrderResource.owner(req, order.accountId());
        Order.Status status = order.status(clock.instant());
        if (status != Order.Status.READY) {
            throw Problem.of(ProblemType.ORDER_NOT_READY, "order " + order.id() + " is " + status.name()
                    .toLowerCase(Locale.ROOT) + ", not ready").exception();
        }
        CsrCheck check = ca.checkCsr(csr(req.json()), new LinkedHashSet<>(order.identifiers()));
        if (!check.ok()) {
            LOG.info("finalize account={} order={} badCSR: {}", order.accountId(), order.id(),
                    check.problem().orElse(""));
            throw Problem.of(ProblemType.BAD_CSR, check.problem().orElse("the CSR was refused")).exception();
        }
        if (!order.startFinalize(clock.instant())) {
            throw Problem.of(ProblemType.ORDER_NOT_READY, "order " + order.id() + " is already being finalized")
                    .exception();
        }
        try {
            IssuedCertificate cert = ca.issue(check, settings.certificateLifetime());
            IssuedRecord record = certificates.add(order.accountId(), cert);
            order.issued(record.id(), cert);
            LOG.info("finalize account={} order={} certificate={} serial={}", order.accountId(), order.id(),
                    record.id(), cert.serial().toString(16));
        } catch (RuntimeException e) {
            order.failed(Problem.of(ProblemType.SERVER_INTERNAL, "issuance failed: " + e.getMessage()));
            throw e;
        }
        ex.location(urls.order(order.id()).toString());
        orderResource.answerOrder(ex, 200, order);
    }

    private static byte[] csr(JsonNode payload) {
        String csr = payload.path("csr").asText("");
        try {
            byte[] der = Base64.getUrlDecoder().decode(csr);
            if (der.length > 0 && !csr.contains("=")) {
                return der;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw Problem.of(ProblemType.MALFORMED, "csr must be the base64url (unpadded) DER of a PKCS#10 request")
                .exception();
    }

    /** POST-as-GET a certificate URL: the PEM chain. */
    public void download(Exchange ex) {
        SignedRequest req = gate.read(ex);
        IssuedRecord r = certificates.byId(ex.tail()).orElseThrow(() -> OrderResource.notFound(ex));
        OrderResource.owner(req, r.accountId());
        ex.send(200, PEM_CHAIN, r.certificate().pemChain().getBytes(StandardCharsets.US_ASCII));
    }
}
