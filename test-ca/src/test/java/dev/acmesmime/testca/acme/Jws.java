package dev.acmesmime.testca.acme;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import org.jose4j.jwk.EcJwkGenerator;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.keys.EllipticCurves;
import org.jose4j.keys.HmacKey;

/** Flattened JWS requests signed with jose4j, as an ACME client sends them, with whatever a case needs wrong. */
final class Jws {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Jws() {
    }

    static PublicJsonWebKey ec256() throws Exception {
        return EcJwkGenerator.generateJwk(EllipticCurves.P256);
    }

    static PublicJsonWebKey ec384() throws Exception {
        return EcJwkGenerator.generateJwk(EllipticCurves.P384);
    }

    static PublicJsonWebKey ed25519() throws Exception {
        KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        PublicJsonWebKey jwk = PublicJsonWebKey.Factory.newPublicJwk(pair.getPublic());
        jwk.setPrivateKey(pair.getPrivate());
        return jwk;
    }

    static PublicJsonWebKey rsa() throws Exception {
        return RsaJwkGenerator.generateJwk(2048);
    }

    static String publicJwk(PublicJsonWebKey key) {
        return key.toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY);
    }

    /** Signs with the account's key; {@code kid} null puts the public jwk in the header instead. */
    static byte[] sign(PublicJsonWebKey key, String alg, String kid, String nonce, String url, String payload)
            throws Exception {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setAlgorithmHeaderValue(alg);
        if (kid == null) {
            jws.getHeaders().setJwkHeaderValue("jwk", PublicJsonWebKey.Factory.newPublicJwk(key.getPublicKey()));
        } else {
            jws.setKeyIdHeaderValue(kid);
        }
        if (nonce != null) {
            jws.getHeaders().setStringHeaderValue("nonce", nonce);
        }
        jws.getHeaders().setStringHeaderValue("url", url);
        jws.setPayload(payload);
        jws.setKey(key.getPrivateKey());
        return flattened(jws.getCompactSerialization());
    }

    /** An EAB binding (RFC 8555 §7.3.4): the account's public JWK, MACed with the EAB key. */
    static ObjectNode eab(String alg, String kid, byte[] macKey, String url, PublicJsonWebKey accountKey)
            throws Exception {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setAlgorithmHeaderValue(alg);
        jws.setKeyIdHeaderValue(kid);
        jws.getHeaders().setStringHeaderValue("url", url);
        jws.setPayload(publicJwk(accountKey));
        jws.setKey(new HmacKey(macKey));
        jws.setDoKeyValidation(false);
        return (ObjectNode) JSON.readTree(flattened(jws.getCompactSerialization()));
    }

    static byte[] flattened(String compact) {
        String[] parts = compact.split("\\.", -1);
        ObjectNode o = JSON.createObjectNode();
        o.put("protected", parts[0]).put("payload", parts[1]).put("signature", parts[2]);
        return o.toString().getBytes(StandardCharsets.UTF_8);
    }
}
