package dev.acmesmime.testca.negative;

import java.net.URI;
import java.security.Key;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.lang.JoseException;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One RFC 8555 §6.2 request, as a flattened JWS whose every part can be set wrong on purpose: the
 * {@code alg}, {@code jwk} or {@code kid}, the {@code url} and {@code nonce} headers, the payload and the
 * signature. jose4j signs; nothing is hand-written JOSE except the deliberate damage.
 * <p>
 * Defaults are a correct request: {@code url} is the target, the nonce is taken from the client's pool when
 * the request is sent, the algorithm follows the signing key (ES256 for P-256, ES384 for P-384, RS256 for RSA).
 */
public final class JwsRequest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI target;
    private String urlHeader;
    private String nonce;
    private String alg;
    private Key signingKey;
    private PublicKey jwk;
    private String kid;
    private String payload = "{}";
    private boolean damageSignature;
    private final Map<String, Object> extraHeaders = new LinkedHashMap<>();

    JwsRequest(URI target) {
        this.target = Objects.requireNonNull(target, "target");
        this.urlHeader = target.toString();
    }

    public URI target() {
        return target;
    }

    /** Signed by {@code key} and identified by its public key in {@code jwk} (newAccount, revokeCert by cert key). */
    public JwsRequest jwk(KeyPair key) {
        this.signingKey = key.getPrivate();
        this.jwk = key.getPublic();
        this.alg = algorithmFor(key.getPublic());
        return this;
    }

    /** Signed by {@code key} and identified by the account URL {@code kid}. */
    public JwsRequest kid(String accountUrl, KeyPair key) {
        this.signingKey = key.getPrivate();
        this.kid = accountUrl;
        this.alg = algorithmFor(key.getPublic());
        return this;
    }

    /** Both {@code jwk} and {@code kid}: RFC 8555 §6.2 forbids it. */
    public JwsRequest alsoKid(String accountUrl) {
        this.kid = accountUrl;
        return this;
    }

    /** Another key signs than the one named, or a MAC key for HS256. */
    public JwsRequest signWith(Key key) {
        this.signingKey = key;
        return this;
    }

    /** The {@code alg} header, e.g. {@code none} or {@code HS256}. */
    public JwsRequest alg(String alg) {
        this.alg = alg;
        return this;
    }

    /** The {@code url} header, normally the target (RFC 8555 §6.4). */
    public JwsRequest url(String url) {
        this.urlHeader = url;
        return this;
    }

    /** A given nonce instead of one from the pool. */
    public JwsRequest nonce(String nonce) {
        this.nonce = nonce;
        return this;
    }

    /** The payload JSON text; {@code ""} is POST-as-GET (RFC 8555 §6.3). */
    public JwsRequest payload(String payload) {
        this.payload = payload;
        return this;
    }

    public JwsRequest payload(ObjectNode payload) {
        return payload(payload.toString());
    }

    /** POST-as-GET: the empty payload. */
    public JwsRequest asGet() {
        return payload("");
    }

    /** Flips a bit of the signature after signing, so it no longer verifies. */
    public JwsRequest damageSignature() {
        this.damageSignature = true;
        return this;
    }

    /** Any further protected header. */
    public JwsRequest header(String name, Object value) {
        extraHeaders.put(name, value);
        return this;
    }

    boolean hasNonce() {
        return nonce != null;
    }

    String nonce() {
        return nonce;
    }

    /** The flattened JSON serialization (RFC 7515 §7.2.2) that is POSTed. */
    public String flattened() {
        String[] parts = compact().split("\\.", -1);
        String signature = damageSignature ? damage(parts[2]) : parts[2];
        ObjectNode body = JSON.createObjectNode();
        body.put("protected", parts[0]);
        body.put("payload", parts[1]);
        body.put("signature", signature);
        return body.toString();
    }

    private String compact() {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setAlgorithmConstraints(AlgorithmConstraints.NO_CONSTRAINTS);
        jws.setDoKeyValidation(false);
        jws.setAlgorithmHeaderValue(alg);
        try {
            if (jwk != null) {
                jws.setJwkHeader(PublicJsonWebKey.Factory.newPublicJwk(jwk));
            }
            if (kid != null) {
                jws.setKeyIdHeaderValue(kid);
            }
            if (nonce != null) {
                jws.setHeader("nonce", nonce);
            }
            if (urlHeader != null) {
                jws.setHeader("url", urlHeader);
            }
            extraHeaders.forEach(jws.getHeaders()::setObjectHeaderValue);
            jws.setPayload(payload);
            jws.setKey(AlgorithmIdentifiers.NONE.equals(alg) ? null : signingKey);
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException("cannot sign the test request: " + e.getMessage(), e);
        }
    }

    private static String damage(String signature) {
        byte[] sig = Base64.getUrlDecoder().decode(signature);
        if (sig.length == 0) {
            return "AAAA";
        }
        sig[sig.length / 2] ^= 0x01;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(sig);
    }

    static String algorithmFor(PublicKey key) {
        if (key instanceof RSAPublicKey) {
            return AlgorithmIdentifiers.RSA_USING_SHA256;
        }
        if (key instanceof ECPublicKey ec) {
            int bits = ec.getParams().getCurve().getField().getFieldSize();
            return switch (bits) {
                case 256 -> AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256;
                case 384 -> AlgorithmIdentifiers.ECDSA_USING_P384_CURVE_AND_SHA384;
                default -> AlgorithmIdentifiers.ECDSA_USING_P521_CURVE_AND_SHA512;
            };
        }
        throw new IllegalArgumentException("no JWS algorithm for a " + key.getAlgorithm() + " key");
    }
}
