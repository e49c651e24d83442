package dev.acmesmime.testca.acme;

/**
 * The door of every signed ACME POST: the Content-Type must be {@code application/jose+json} (RFC 8555 §6.2,
 * else 415), then {@link JwsVerifier} checks the JWS against the URL the request was sent to.
 */
public final class PostGate {
    public static final String JOSE_JSON = "application/jose+json";

    private final JwsVerifier verifier;
    private final Urls urls;

    public PostGate(JwsVerifier verifier, Urls urls) {
        this.verifier = verifier;
        this.urls = urls;
    }

    public SignedRequest open(Exchange ex, JwsVerifier.KeyHeader keyHeader) {
        String type = ex.header("Content-Type");
        String bare = type == null ? "" : type.split(";", 2)[0].trim();
        if (!bare.equalsIgnoreCase(JOSE_JSON)) {
            throw Problem.of(ProblemType.UNSUPPORTED_MEDIA_TYPE, "Content-Type must be " + JOSE_JSON + ", not "
                    + (type == null ? "none" : type)).exception();
        }
        return verifier.verify(ex.body(), urls.base() + ex.path(), keyHeader);
    }

    /** A read that must be POST-as-GET (RFC 8555 §6.3): the payload must be empty. */
    public SignedRequest read(Exchange ex) {
        SignedRequest r = open(ex, JwsVerifier.KeyHeader.KID);
        if (!r.postAsGet()) {
            throw Problem.of(ProblemType.MALFORMED, "a read of " + ex.path() + " is a POST-as-GET with an empty "
                    + "payload").exception();
        }
        return r;
    }
}
