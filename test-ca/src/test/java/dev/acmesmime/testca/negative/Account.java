package dev.acmesmime.testca.negative;

import java.security.KeyPair;

import dev.acmesmime.rfc8823.JwkThumbprint;

/** An ACME account the raw client created: its key, its URL (the {@code kid}) and the key's RFC 7638 thumbprint. */
public record Account(KeyPair keys, String url) {
    public String thumbprint() {
        return JwkThumbprint.of(keys.getPublic());
    }

    @Override
    public String toString() {
        return "Account[" + url + "]";
    }
}
