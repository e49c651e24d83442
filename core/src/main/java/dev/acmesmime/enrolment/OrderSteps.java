package dev.acmesmime.enrolment;

import java.net.URI;
import java.time.Instant;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.acmesmime.acme.CaClient;
import dev.acmesmime.acme.CaException;
import dev.acmesmime.acme.CaProblem;
import dev.acmesmime.acme.OrderState;
import dev.acmesmime.acme.RenewalWindow;
import dev.acmesmime.metrics.MetricNames;
import dev.acmesmime.store.AuditEvent;
import dev.acmesmime.store.AuditRecord;
import dev.acmesmime.store.Enrolment;
import dev.acmesmime.store.EnrolmentStep;

/**
 * The steps after the challenge POST: poll the order as its Retry-After says (RFC 8555 §7.4, §8.2),
 * finalize a ready order with the mailbox's S/MIME CSR, poll again, download the chain and store it with the
 * facts renewal needs, scheduling the renewal ({@link RenewalPolicy}). An order that went invalid is dead:
 * the next attempt places a new one.
 */
final class OrderSteps {
    private static final Logger LOG = LoggerFactory.getLogger(OrderSteps.class);

    private final MailboxEnrolment.Context c;
    private final CaClient client;

    OrderSteps(MailboxEnrolment.Context c, CaClient client) {
        this.c = c;
        this.client = client;
    }

    Step step(Enrolment e) {
        switch (e.step()) {
            case POSTED:
                return afterPost(e);
            case VALID:
                return finalizeOrder(e);
            case FINALIZING:
                return afterFinalize(e);
            default:
                throw new IllegalStateException("not an order step: " + e.step());
        }
    }

    private Step afterPost(Enrolment e) {
        OrderState s = client.order(orderUrl(e));
        switch (s.status()) {
            case READY:
                return Step.next(e.withStep(EnrolmentStep.VALID));
            case PROCESSING:
            case VALID:
                return Step.next(e.withStep(EnrolmentStep.FINALIZING));
            case INVALID:
                return dead(e, s);
            default:
                return later(e, s);
        }
    }

    private Step finalizeOrder(Enrolment e) {
        try {
            client.finalizeOrder(orderUrl(e), e.mailbox(), MailboxEnrolment.key(e));
        } catch (CaException ex) {
            if (!ex.problem().is("orderNotReady")) {
                throw ex;
            }
            // finalized before a restart, or not ready after all: the next poll tells
            return Step.waiting(e.withStep(EnrolmentStep.FINALIZING).withSchedule(e.attempts(), c.polled()));
        }
        return Step.next(e.withStep(EnrolmentStep.FINALIZING));
    }

    private Step afterFinalize(Enrolment e) {
        OrderState s = client.order(orderUrl(e));
        switch (s.status()) {
            case VALID:
                return s.certificateUrl().map(url -> issue(e, url)).orElseGet(() -> later(e, s));
            case READY:
                return Step.next(e.withStep(EnrolmentStep.VALID));
            case INVALID:
                return dead(e, s);
            default:
                return later(e, s);
        }
    }

    private Step issue(Enrolment e, URI certificateUrl) {
        IssuedCertificate cert = IssuedCertificate.of(client.certificate(certificateUrl));
        Instant notBefore = cert.leaf().getNotBefore().toInstant();
        Instant notAfter = cert.leaf().getNotAfter().toInstant();
        Optional<RenewalWindow> window = window(client, cert);
        Instant renewal = c.renewal().renewAt(notBefore, notAfter, window, c.now());
        Instant next = window.flatMap(RenewalWindow::retryAfter).filter(renewal::isAfter).orElse(renewal);
        boolean renewed = e.certificatePem().isPresent();
        Enrolment issued = e.withCertificate(cert.pem(), cert.serial(), cert.ariCertId().orElse(null), notBefore,
                notAfter).withStep(EnrolmentStep.ISSUED).withSchedule(0, next).withProblem(null, null)
                .withReplacesCertId(null);
        AuditRecord.Entry entry = AuditRecord.entry(renewed ? AuditEvent.ENROLMENT_RENEWED : AuditEvent.ENROLMENT_ISSUED)
                .address(e.mailbox()).token(cert.serial()).detail("notAfter " + notAfter + ", renewal "
                        + (window.isPresent() ? "in the CA's window" : "at two thirds") + " from " + renewal
                        + e.replacesCertId().map(id -> ", replaces " + id).orElse(""));
        return Step.waiting(issued).recording(entry, renewed ? MetricNames.ENROLMENT_RENEWED
                : MetricNames.ENROLMENT_ISSUED);
    }

    /** The CA's renewal window for {@code cert}; empty without ARI, or when the CA cannot say now. */
    static Optional<RenewalWindow> window(CaClient client, IssuedCertificate cert) {
        try {
            return client.renewalInfo(cert.leaf());
        } catch (CaException e) {
            // no window this time: the two-thirds rule is the safe fallback
            LOG.info("renewal information of {} not available: {}", cert.serial(), e.problem());
            return Optional.empty();
        }
    }

    private Step dead(Enrolment e, OrderState s) {
        return c.failures().orderDead(e, EnrolmentFailure.ORDER_INVALID, s.problem().orElse(CaProblem.client(
                EnrolmentFailure.ORDER_INVALID.code(), "order " + orderUrl(e) + " is invalid")));
    }

    private Step later(Enrolment e, OrderState s) {
        Instant at = s.retryAfter().filter(t -> t.isAfter(c.now())).orElseGet(c::polled);
        return Step.waiting(e.withSchedule(e.attempts(), at));
    }

    private static URI orderUrl(Enrolment e) {
        return e.orderUrl().orElseThrow(() -> new IllegalStateException("the enrolment of " + e.mailbox()
                + " has no order at " + e.step()));
    }
}
