package dev.acmesmime.acme;

import java.net.URI;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import dev.acmesmime.rfc8823.KeyAuthorization;
import dev.acmesmime.testca.client.CaRoleForwarder;
import dev.acmesmime.testca.client.ChallengeMails;
import dev.acmesmime.testca.client.RunningTestCa;

/**
 * An enrolment driven step by step through a {@link CaClient}, the way the engine will: order, answer the
 * challenge mail (the CA-role James played by {@link CaRoleForwarder}), trigger, poll with Retry-After,
 * finalize, poll, download.
 */
final class CaClientFlow {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Duration MAX_SLEEP = Duration.ofSeconds(2);

    private final RunningTestCa ca;
    private final CaClient client;

    CaClientFlow(RunningTestCa ca, CaClient client) {
        this.ca = ca;
        this.client = client;
    }

    /** Answers the {@code mailIndex}th challenge mail to {@code mailbox} with the account's digest. */
    CaRoleForwarder.Answer respond(PlacedOrder order, String mailbox, int mailIndex) {
        ChallengeMails.Received mail = ca.mails().awaitFor(mailbox, mailIndex);
        String digest = KeyAuthorization.digest(mail.tokenPart1(), order.tokenPart2(), client.account().thumbprint());
        return ca.forwarder().post(mail, digest);
    }

    /** Polls until the order's status is one of {@code wanted}, sleeping as Retry-After says (at most 2 s). */
    OrderState awaitStatus(URI orderUrl, Set<OrderStatus> wanted) throws InterruptedException {
        Instant deadline = Instant.now().plus(WAIT);
        while (true) {
            OrderState state = client.order(orderUrl);
            if (wanted.contains(state.status()) || Instant.now().isAfter(deadline)) {
                return state;
            }
            Duration sleep = state.retryAfter().map(t -> Duration.between(Instant.now(), t))
                    .filter(d -> !d.isNegative()).orElse(Duration.ofMillis(200));
            Thread.sleep(Math.min(sleep.toMillis(), MAX_SLEEP.toMillis()));
        }
    }

    /** The whole enrolment; {@code mailIndex} counts earlier challenge mails to the mailbox. */
    List<X509Certificate> enrol(String mailbox, KeyPair key, Optional<String> replaces, int mailIndex)
            throws InterruptedException {
        PlacedOrder order = client.placeOrder(mailbox, replaces);
        respond(order, mailbox, mailIndex);
        client.trigger(order.challengeUrl());
        OrderState ready = awaitStatus(order.orderUrl(), Set.of(OrderStatus.READY, OrderStatus.INVALID));
        if (ready.status() != OrderStatus.READY) {
            throw new IllegalStateException("order " + order.orderUrl() + " is " + ready);
        }
        client.finalizeOrder(order.orderUrl(), mailbox, key);
        OrderState valid = awaitStatus(order.orderUrl(), Set.of(OrderStatus.VALID, OrderStatus.INVALID));
        return client.certificate(valid.certificateUrl().orElseThrow(
                () -> new IllegalStateException("order " + order.orderUrl() + " is " + valid)));
    }
}
