package dev.acmesmime.testca.negative;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.security.PublicKey;

import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.keys.HmacKey;
import org.jose4j.lang.JoseException;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The {@code externalAccountBinding} of a newAccount request (RFC 8555 §7.3.4): a flattened JWS over the
 * account's public JWK, MACed with HS256 under the CA-issued key, {@code kid} the key's id and {@code url}
 * the newAccount URL. No nonce, as the RFC requires.
 */
public final class ExternalAccountBinding {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ExternalAccountBinding() {
    }

    public static ObjectNode of(String kid, byte[] macKey, PublicKey accountKey, URI newAccountUrl) {
        String jwk;
        try {
            jwk = PublicJsonWebKey.Factory.newPublicJwk(accountKey).toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY);
        } catch (JoseException e) {
            throw new IllegalStateException("account key as JWK", e);
        }
        String flattened = new JwsRequest(newAccountUrl).alg(AlgorithmIdentifiers.HMAC_SHA256)
                .signWith(new HmacKey(macKey)).header("kid", kid).payload(jwk).flattened();
        try {
            return (ObjectNode) JSON.readTree(flattened);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
