package dev.acmesmime.testca.acme;

import dev.acmesmime.testca.TestCaSettings;
import dev.acmesmime.testca.pki.CertificateAuthority;
import dev.acmesmime.testca.pki.CaaCheck;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;

/**
 * The ACME port's state and routes, built from the settings: which path goes to which resource, and the
 * in-memory stores they share.
 */
final class AcmeRoutes {
    final Accounts accounts;
    final Orders orders = new Orders();
    final IssuedCertificates certificates = new IssuedCertificates();
    final Challenges challenges;
    final Router router;

    /**
     * @param resultEndpoint the result endpoint, when {@code forward.hmacKeyFile} is set; it is given the
     *                       challenges to look results up in
     */
    AcmeRoutes(TestCaSettings settings, Urls urls, Clock clock, CertificateAuthority ca, ChallengeSender sender,
               ScheduledExecutorService mailer, Optional<Function<Challenges, ResultEndpoint>> resultEndpoint) {
        SecureRandom random = new SecureRandom();
        Nonces nonces = new Nonces(random, settings.faults().nonceRejectPercent(), new Random());
        accounts = new Accounts(urls, clock);
        challenges = new Challenges(settings, clock, random, sender, mailer);
        PostGate gate = new PostGate(new JwsVerifier(nonces, accounts::byUrl), urls);
        Views views = new Views(urls, clock, settings.challengeFrom());
        ExternalAccountBinding eab = new ExternalAccountBinding(settings.eab(), settings.eabKeys());
        Function<String, Optional<String>> caa = settings.caa().check() ? new CaaCheck(settings.caa())::refusal
                : address -> Optional.empty();
        DirectoryResource directory = new DirectoryResource(urls, eab.required(), settings.ari());
        AccountResource account = new AccountResource(gate, accounts, orders, eab, views, urls, clock);
        OrderResource order = new OrderResource(settings, gate, orders, challenges, certificates,
                new RateLimiter(settings.ordersPerMinute(), clock), caa, views, urls, clock);
        Finalizer finalizer = new Finalizer(settings, gate, orders, certificates, ca, order, urls, clock);
        Revocation revocation = new Revocation(gate, certificates);
        RenewalInfo renewalInfo = new RenewalInfo(certificates, clock);
        router = new Router(Optional.of(nonces::issue))
                .get(Urls.DIRECTORY, directory::directory)
                .add(new Router.Route(Urls.NEW_NONCE, directory::newNonce, directory::newNonce))
                .get(Urls.TERMS, directory::terms)
                .post(Urls.KEY_CHANGE, directory::keyChange)
                .post(Urls.NEW_ACCOUNT, account::newAccount)
                .post(Urls.ACCOUNT, account::account)
                .post(Urls.NEW_ORDER, order::newOrder)
                .post(Urls.ORDER, order::order)
                .post(Urls.AUTHZ, order::authorization)
                .post(Urls.CHALLENGE, order::challenge)
                .post(Urls.FINALIZE, finalizer::finalizeOrder)
                .post(Urls.CERTIFICATE, finalizer::download)
                .post(Urls.REVOKE_CERT, revocation::revoke);
        if (settings.ari()) { // without ARI the CA has no such resource, as most CAs today
            router.get(Urls.RENEWAL_INFO, renewalInfo::get);
        }
        resultEndpoint.ifPresent(f -> router.post(Urls.MAIL_RESULT, f.apply(challenges)::post));
    }
}
