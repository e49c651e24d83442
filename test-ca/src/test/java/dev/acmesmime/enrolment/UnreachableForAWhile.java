package dev.acmesmime.enrolment;

import java.net.URI;
import java.util.concurrent.atomic.AtomicInteger;

import dev.acmesmime.acme.CaClient;
import dev.acmesmime.acme.CaException;
import dev.acmesmime.acme.CaProblem;
import dev.acmesmime.acme.OrderState;

/**
 * The test CA unreachable for a while: the first {@code failures} polls of an order fail as a refused
 * connection does ({@value CaProblem#CONNECTION}), later ones reach the CA.
 */
final class UnreachableForAWhile extends DelegatingCaClient {
    private final AtomicInteger failures;

    UnreachableForAWhile(CaClient ca, int failures) {
        super(ca);
        this.failures = new AtomicInteger(failures);
    }

    @Override
    public OrderState order(URI orderUrl) {
        if (failures.getAndDecrement() > 0) {
            throw new CaException(CaProblem.client(CaProblem.CONNECTION, "Connection refused: " + orderUrl));
        }
        return ca.order(orderUrl);
    }
}
