package dev.acmesmime.acme;

import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.shredzone.acme4j.AccountBuilder;
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
import org.shredzone.acme4j.exception.AcmeServerException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.acmesmime.acme.CaProfile.Eab;
import dev.acmesmime.rfc8823.JwkThumbprint;

/**
 * The {@link CaClient} of one profile, on acme4j-client: one acme4j {@link Session} on the profile's
 * directory (trusting the profile's trust store, {@link AcmeTrust}) and one {@link Login}, made on first use.
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

    private final CaProfile profile;
    private final AccountKeys accountKeys;
    private final Session session;
    private final Object accountLock = new Object();
    private volatile Login login;

    /**
     * A client for {@code profile}; no request is made until the first call.
     *
     * @throws CaProfileException when the profile's trust store cannot be read
     */
    public AcmeCaClient(CaProfile profile, AccountKeys accountKeys) {
        this.profile = profile;
        this.accountKeys = accountKeys;
        this.session = new Session(profile.directory(), AcmeTrust.provider(profile));
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
                login = AcmeCalls.call("account at " + profile.directory(), this::findOrCreateAccount);
            }
            return login;
        }
    }

    private Login findOrCreateAccount() throws AcmeException {
        Optional<KeyPair> stored = accountKeys.load(profile);
        Optional<Login> existing = stored.isPresent() ? existing(stored.get()) : Optional.empty();
        Login l = existing.isPresent() ? existing.get() : create(stored.orElseGet(this::newKey));
        // saved again when found too: the CA may have answered with another URL than the store holds
        accountKeys.save(profile, l.getKeyPair(), Optional.of(uri(l.getAccountLocation())));
        LOG.info("profile {}: {} ACME account {}", profile.name(), existing.isPresent() ? "using" : "created",
                l.getAccountLocation());
        return l;
    }

    /** A new account key, stored before the CA hears of it, so a crash cannot leave an account without key. */
    private KeyPair newKey() {
        KeyPair key = Keys.account();
        accountKeys.save(profile, key, Optional.empty());
        return key;
    }

    private Optional<Login> existing(KeyPair key) throws AcmeException {
        try {
            return Optional.of(new AccountBuilder().onlyExisting().useKeyPair(key).createLogin(session));
        } catch (AcmeServerException e) {
            if (e.getType().toString().equals(CaProblem.acmeType("accountDoesNotExist"))) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private Login create(KeyPair key) throws AcmeException {
        AccountBuilder builder = new AccountBuilder().useKeyPair(key);
        Optional<URI> terms = session.getMetadata().getTermsOfService();
        if (profile.termsOfServiceAgreed()) {
            builder.agreeToTermsOfService();
        } else if (terms.isPresent()) {
            throw new CaException(CaProblem.client(CaProblem.TERMS_NOT_AGREED, "the CA's terms of service are "
                    + terms.get() + "; once read, set " + CaProfiles.PREFIX + profile.name() + "."
                    + CaProfiles.TERMS_OF_SERVICE_AGREED + "=true"));
        }
        if (profile.eab().isPresent()) {
            Eab eab = profile.eab().get();
            builder.withKeyIdentifier(eab.keyId(), hmacKey(eab));
        }
        return builder.createLogin(session);
    }

    private String hmacKey(Eab eab) {
        try {
            return Files.readString(eab.hmacKeyFile(), StandardCharsets.US_ASCII).strip();
        } catch (IOException e) {
            throw new CaException(CaProblem.client("configuration", "cannot read "
                    + eab.hmacKeyFile() + ": " + e.getMessage()), e);
        }
    }

    @Override
    public PlacedOrder placeOrder(String mailbox, Optional<String> replacesCertId) {
        Login l = login();
        return AcmeCalls.call("new order for " + mailbox, () -> {
            OrderBuilder builder = l.newOrder().identifier(new Identifier(EMAIL, mailbox));
            if (replacesCertId.isPresent() && hasRenewalInfo()) {
                builder.replaces(replacesCertId.get());
            }
            Order order = builder.create();
            LOG.debug("profile {}: order {} for {}", profile.name(), order.getLocation(), mailbox);
            return placed(order, mailbox);
        });
    }

    @Override
    public PlacedOrder placedOrder(URI orderUrl) {
        Login l = login();
        return AcmeCalls.call("read order " + orderUrl, () -> {
            Order order = l.bindOrder(url(orderUrl));
            order.fetch();
            return placed(order, orderUrl.toString());
        });
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

    private boolean hasRenewalInfo() throws AcmeException {
        return session.resourceUrlOptional(Resource.RENEWAL_INFO).isPresent();
    }

    @Override
    public void trigger(URI challengeUrl) {
        Login l = login();
        AcmeCalls.run("trigger " + challengeUrl, () -> {
            l.bindChallenge(url(challengeUrl)).trigger();
            return null;
        });
    }

    @Override
    public OrderState order(URI orderUrl) {
        Login l = login();
        return AcmeCalls.call("poll " + orderUrl, () -> {
            Order order = l.bindOrder(url(orderUrl));
            Optional<Instant> retryAfter = order.fetch();
            Optional<CaProblem> problem = order.getError().map(p -> AcmeCalls.fromCa(p, 0, Optional.empty()));
            Optional<URI> certificate = order.getJSON().get("certificate").map(v -> v.asURI());
            return new OrderState(OrderStatus.parse(order.getJSON().get("status").asString()), retryAfter,
                    problem, certificate);
        });
    }

    @Override
    public void finalizeOrder(URI orderUrl, String mailbox, KeyPair key) {
        Login l = login();
        byte[] csr = SmimeCsr.of(key, profile.keyUsage(), mailbox);
        AcmeCalls.run("finalize " + orderUrl, () -> {
            l.bindOrder(url(orderUrl)).execute(csr);
            return null;
        });
    }

    @Override
    public List<X509Certificate> certificate(URI certificateUrl) {
        Login l = login();
        return AcmeCalls.call("download " + certificateUrl, () -> {
            Certificate certificate = l.bindCertificate(url(certificateUrl));
            certificate.download();
            return certificate.getCertificateChain();
        });
    }

    @Override
    public Optional<RenewalWindow> renewalInfo(X509Certificate leaf) {
        Login l = login();
        return AcmeCalls.call("renewal info of " + leaf.getSerialNumber().toString(16), () -> {
            if (!hasRenewalInfo()) {
                return Optional.empty();
            }
            RenewalInfo info = l.bindRenewalInfo(leaf);
            Optional<Instant> retryAfter = info.fetch();
            return Optional.of(new RenewalWindow(info.getSuggestedWindowStart(), info.getSuggestedWindowEnd(),
                    retryAfter));
        });
    }

    @Override
    public void revoke(X509Certificate leaf) {
        Login l = login();
        AcmeCalls.run("revoke " + leaf.getSerialNumber().toString(16), () -> {
            Certificate.revoke(l, leaf, null);
            return null;
        });
    }

    private static URI uri(URL url) {
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
