package dev.acmesmime.enrolment;

import java.security.cert.X509Certificate;
import java.util.Optional;

import dev.acmesmime.acme.CaClient;
import dev.acmesmime.acme.PlacedOrder;
import dev.acmesmime.acme.RenewalWindow;

/** The test CA as a CA without ACME Renewal Information: no window, and no {@code replaces} on orders. */
final class NoAriClient extends DelegatingCaClient {
    NoAriClient(CaClient ca) {
        super(ca);
    }

    @Override
    public PlacedOrder placeOrder(String mailbox, Optional<String> replacesCertId) {
        return ca.placeOrder(mailbox, Optional.empty());
    }

    @Override
    public Optional<RenewalWindow> renewalInfo(X509Certificate leaf) {
        return Optional.empty();
    }
}
