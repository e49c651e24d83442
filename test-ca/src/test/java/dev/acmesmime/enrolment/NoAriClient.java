package dev.acmesmime.enrolment;

import java.net.URI;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;

import dev.acmesmime.acme.CaAccount;
import dev.acmesmime.acme.CaClient;
import dev.acmesmime.acme.OrderState;
import dev.acmesmime.acme.PlacedOrder;
import dev.acmesmime.acme.RenewalWindow;

/** The test CA as a CA without ACME Renewal Information: no window, and no {@code replaces} on orders. */
final class NoAriClient implements CaClient {
    private final CaClient ca;

    NoAriClient(CaClient ca) {
        this.ca = ca;
    }

    @Override
    public CaAccount account() {
        return ca.account();
    }

    @Override
    public PlacedOrder placeOrder(String mailbox, Optional<String> replacesCertId) {
        return ca.placeOrder(mailbox, Optional.empty());
    }

    @Override
    public PlacedOrder placedOrder(URI orderUrl) {
        return ca.placedOrder(orderUrl);
    }

    @Override
    public void trigger(URI challengeUrl) {
        ca.trigger(challengeUrl);
    }

    @Override
    public OrderState order(URI orderUrl) {
        return ca.order(orderUrl);
    }

    @Override
    public void finalizeOrder(URI orderUrl, String mailbox, KeyPair key) {
        ca.finalizeOrder(orderUrl, mailbox, key);
    }

    @Override
    public List<X509Certificate> certificate(URI certificateUrl) {
        return ca.certificate(certificateUrl);
    }

    @Override
    public Optional<RenewalWindow> renewalInfo(X509Certificate leaf) {
        return Optional.empty();
    }

    @Override
    public void revoke(X509Certificate leaf) {
        ca.revoke(leaf);
    }
}
