package dev.acmesmime.acme;

import java.net.URI;
import java.util.Objects;

/**
 * A profile's ACME account at its CA.
 *
 * @param url        the account URL (the {@code kid} of every request)
 * @param thumbprint the RFC 7638 JWK thumbprint of the account key, as the response digest uses it
 *                   (RFC 8823 §3 step 6)
 */
public record CaAccount(URI url, String thumbprint) {
    public CaAccount {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(thumbprint, "thumbprint");
    }
}
