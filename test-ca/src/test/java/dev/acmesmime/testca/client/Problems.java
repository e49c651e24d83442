package dev.acmesmime.testca.client;

import java.net.URI;

/** ACME problem types (RFC 8555 §6.7). */
public final class Problems {
    private Problems() {
    }

    /** {@code urn:ietf:params:acme:error:<name>}. */
    public static URI type(String name) {
        return URI.create("urn:ietf:params:acme:error:" + name);
    }
}
