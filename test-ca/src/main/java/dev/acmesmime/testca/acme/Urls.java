package dev.acmesmime.testca.acme;

import java.net.URI;
import java.util.Optional;

/**
 * The URLs of the ACME resources: one place that spells the paths, used to answer (Location, directory,
 * links) and to route. The base is what clients reach ({@code https://localhost:14000}); a request's URL,
 * which the JWS {@code url} header must equal (RFC 8555 §6.4), is the base plus the request's path.
 */
public final class Urls {
    public static final String DIRECTORY = "/dir";
    public static final String NEW_NONCE = "/acme/new-nonce";
    public static final String NEW_ACCOUNT = "/acme/new-account";
    public static final String NEW_ORDER = "/acme/new-order";
    public static final String REVOKE_CERT = "/acme/revoke-cert";
    public static final String KEY_CHANGE = "/acme/key-change";
    public static final String RENEWAL_INFO = "/acme/renewal-info/";
    public static final String TERMS = "/acme/terms";
    public static final String MAIL_RESULT = "/acme/mail-result";
    public static final String ACCOUNT = "/acme/acct/";
    public static final String ORDER = "/acme/order/";
    public static final String AUTHZ = "/acme/authz/";
    public static final String CHALLENGE = "/acme/chall/";
    public static final String FINALIZE = "/acme/finalize/";
    public static final String CERTIFICATE = "/acme/cert/";

    private final String base;

    /** @param base scheme, host and port, without a trailing slash */
    public Urls(String base) {
        this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }

    public String base() {
        return base;
    }

    public URI of(String path) {
        return URI.create(base + path);
    }

    public URI account(String id) {
        return of(ACCOUNT + id);
    }

    public URI order(String id) {
        return of(ORDER + id);
    }

    public URI authz(String id) {
        return of(AUTHZ + id);
    }

    public URI challenge(String id) {
        return of(CHALLENGE + id);
    }

    public URI finalizeUrl(String id) {
        return of(FINALIZE + id);
    }

    public URI certificate(String id) {
        return of(CERTIFICATE + id);
    }

    /** The account id in an account URL of this server, if it is one. */
    public Optional<String> accountId(String url) {
        String prefix = base + ACCOUNT;
        if (url == null || !url.startsWith(prefix)) {
            return Optional.empty();
        }
        String id = url.substring(prefix.length());
        return id.isEmpty() || id.contains("/") ? Optional.empty() : Optional.of(id);
    }
}
