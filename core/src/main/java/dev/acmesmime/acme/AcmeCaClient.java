package dev.acmesmime.acme;

import java.net.MalformedURLException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.shredzone.acme4j.Authorization;
import org.shredzone.acme4j.Certificate;
import org.shredzone.acme4j.Identifier;
import org.shredzone.acme4j.Login;
import org.shredzone.acme4j.Order;
import org.shredzone.acme4j.OrderBuilder;
import org.shredzone.acme4j.RenewalInfo;
import org.shredzone.acme4j.Session;
import org.shredzone.acme4j.challenge.Challenge;
import org.shredzone.acme4j.connector.Resource;
import org.shredzone.acme4j.exception.AcmeException;
import org.shredzone.acme4j.provider.AcmeProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.acmesmime.rfc8823.JwkThumbprint;

/**
 * The {@link CaClient} of one profile, on acme4j-client: acme4j {@link Session}s on the profile's directory
 * (trusting the profile's trust store, {@link AcmeTrust}), each with a {@link Login} to the profile's account.
 * acme4j makes one request at a time per Session, so concurrent calls borrow different Sessions from a
 * {@link LoginPool} of at most {@value #SESSIONS} (made as concurrency needs them; each fetches the directory
 * once). The account is found or created once, on first use, before any other request.
 * <p>
 * The account: with a stored key, the CA is asked for the existing account first ({@code onlyReturnExisting},
 * RFC 8555 §7.3.1); without one, or when the CA no longer knows it, an account is created, agreeing to the
 * terms of service only when the profile does, with External Account Binding when the profile has it. The
 * key and the account URL are then saved through {@link AccountKeys}. A CA with terms the profile does not
 * agree to fails with {@value CaProblem#TERMS_NOT_AGREED}. A new key is saved before the CA is asked, so a
 * crash in between reuses it rather than opening a second account.
 * <p>
 * Every failure is a {@link CaException} ({@link AcmeCalls} maps acme4j's). Logs name steps and URLs,
 * never keys or the EAB HMAC key.
 */
public final class AcmeCaClient implements CaClient {
    private static final Logger LOG = LoggerFactory.getLogger(AcmeCaClient.class);
    /** RFC 8823 §3: the identifier type of a mailbox. */
    public static final String EMAIL = "email";

    /** The most Sessions, hence concurrent requests, per profile: the enrolment threads' usual 8 to 32. */
    public static final int SESSIONS = 32;

    private final CaProfile profile;
    private final AcmeProvider provider;
    private final AccountFinder accounts;
    private final LoginPool logins;
    private final Object accountLock = new Object();
    private volatile Login login;

    /**
     * A client for {@code profile}; no request is made until the first call.
     *
     * @throws CaProfileException when the profile's trust store cannot be read
     */
    public AcmeCaClient(CaProfile profile, AccountKeys accountKeys) {
        this(profile, accountKeys, SESSIONS);
    }

    /** A client making at most {@code sessions} requests at once. */
    public AcmeCaClient(CaProfile profile, AccountKeys accountKeys, int sessions) {
        this.profile = profile;
        this.provider = AcmeTrust.provider(profile);
        this.accounts = new AccountFinder(profile, accountKeys, new Session(profile.directory(), provider));
        this.logins = new LoginPool(sessions, this::newLogin);
    }

    public CaProfile profile() {
        return profile;
    }

    @Override
    public CaAccount account() {
        Login l = login();
        return new CaAccount(uri(l.getAccountLocation()), JwkThumbprint.of(l.getKeyPair().getPublic()));
    }

    private Login login() {
        Login l = login;
        if (l != null) {
            return l;
        }
        synchronized (accountLock) {
            if (login == null) {
                Login found = AcmeCalls.call("account at " + profile.directory(), accounts::findOrCreate);
                logins.add(found);
                login = found;
            }
            return login;
        }
    }

    /** Another Session logged in to the known account: no request until its first call. */
    private Login newLogin() {
        Login account = login;
        return new Session(profile.directory(), provider).login(account.getAccountLocation(), account.getKeyPair());
    }

    /** Runs {@code call} on a Login of its own, once the account is known. */
    private <T> T withLogin(Function<Login, T> call) {
        login();
        return logins.with(call);
    }

    /** How many Sessions this client made so far (at most the pool's size). */
    int sessions() {
        return logins.sessions();
    }

    @Override
    public PlacedOrder placeOrder(String mailbox, Optional<String> replacesCertId) {
        return withLogin(l -> AcmeCalls.call("new order for " + mailbox, () -> {
            OrderBuilder builder = l.newOrder().identifier(new Identifier(EMAIL, mailbox));
            if (replacesCertId.isPresent() && hasRenewalInfo(l)) {
                builder.replaces(replacesCertId.get());
            }
            Order order = builder.create();
            LOG.debug("profile {}: order {} for {}", profile.name(), order.getLocation(), mailbox);
            return placed(order, mailbox);
        }));
    }

    @Override
    public PlacedOrder placedOrder(URI orderUrl) {
        return withLogin(l -> AcmeCalls.call("read order " + orderUrl, () -> {
            Order order = l.bindOrder(url(orderUrl));
            order.fetch();
            return placed(order, orderUrl.toString());
        }));
    }

    private static PlacedOrder placed(Order order, String mailbox) {
        List<Authorization> authorizations = order.getAuthorizations();
        if (authorizations.size() != 1) {
            throw new CaException(CaProblem.client(CaProblem.PROTOCOL, "order " + order.getLocation()
                    + " has " + authorizations.size() + " authorizations for one identifier"));
        }
        Authorization authorization = authorizations.get(0);
        EmailReply00Challenge challenge = authorization.findChallenge(EmailReply00Challenge.class)
                .orElseThrow(() -> new CaException(CaProblem.client(CaProblem.UNSUPPORTED_CHALLENGE,
                        "the CA offers " + types(authorization) + " for " + mailbox + ", no "
                                + EmailReply00Challenge.TYPE)));
        Instant expires = Stream.of(order.getExpires(), authorization.getExpires()).flatMap(Optional::stream)
                .min(Instant::compareTo).orElseThrow(() -> new CaException(CaProblem.client(CaProblem.PROTOCOL,
                        "order " + order.getLocation() + " has no expiry (RFC 8555 §7.1.3)")));
        return new PlacedOrder(uri(order.getLocation()), uri(challenge.getLocation()), challenge.getFrom(),
                challenge.getTokenPart2(), expires);
    }

    private static String types(Authorization authorization) {
        return authorization.getChallenges().stream().map(Challenge::getType)
                .collect(Collectors.joining(", ", "[", "]"));
    }

    private static boolean hasRenewalInfo(Login login) throws AcmeException {
        return login.getSession().resourceUrlOptional(Resource.RENEWAL_INFO).isPresent();
    }

    @Override
    public void trigger(URI challengeUrl) {
        withLogin(l -> AcmeCalls.call("trigger " + challengeUrl, () -> {
            l.bindChallenge(url(challengeUrl)).trigger();
            return null;
        }));
    }

    @Override
    public OrderState order(URI orderUrl) {
        return withLogin(l -> AcmeCalls.call("poll " + orderUrl, () -> {
            Order order = l.bindOrder(url(orderUrl));
            Optional<Instant> retryAfter = order.fetch();
            Optional<CaProblem> problem = order.getError().map(p -> AcmeCalls.fromCa(p, 0, Optional.empty()));
            Optional<URI> certificate = order.getJSON().get("certificate").map(v -> v.asURI());
            return new OrderState(OrderStatus.parse(order.getJSON().get("status").asString()), retryAfter,
                    problem, certificate);
        }));
    }

    @Override
    public void finalizeOrder(URI orderUrl, String mailbox, KeyPair key) {
        byte[] csr = SmimeCsr.of(key, profile.keyUsage(), mailbox);
        withLogin(l -> AcmeCalls.call("finalize " + orderUrl, () -> {
            l.bindOrder(url(orderUrl)).execute(csr);
            return null;
        }));
    }

    @Override
    public List<X509Certificate> certificate(URI certificateUrl) {
        return withLogin(l -> AcmeCalls.call("download " + certificateUrl, () -> {
            Certificate certificate = l.bindCertificate(url(certificateUrl));
            certificate.download();
            return certificate.getCertificateChain();
        }));
    }

    @Override
    public Optional<RenewalWindow> renewalInfo(X509Certificate leaf) {
        return withLogin(l -> AcmeCalls.call("renewal info of " + leaf.getSerialNumber().toString(16), () -> {
            if (!hasRenewalInfo(l)) {
                return Optional.empty();
            }
            RenewalInfo info = l.bindRenewalInfo(leaf);
            Optional<Instant> retryAfter = info.fetch();
            return Optional.of(new RenewalWindow(info.getSuggestedWindowStart(), info.getSuggestedWindowEnd(),
                    retryAfter));
        }));
    }

    @Override
    public void revoke(X509Certificate leaf) {
        withLogin(l -> AcmeCalls.call("revoke " + leaf.getSerialNumber().toString(16), () -> {
            Certificate.revoke(l, leaf, null);
            return null;
        }));
    }

    static URI uri(URL url) {
        try {
            return url.toURI();
        } catch (URISyntaxException e) {
            throw new CaException(CaProblem.client(CaProblem.PROTOCOL, "not a URI: " + url));
        }
    }

    private static URL url(URI uri) {
        try {
            return uri.toURL();
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException("not a URL: " + uri, e);
        }
    }
}
