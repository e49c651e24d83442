package dev.acmesmime.testca.acme;

import com.fasterxml.jackson.databind.JsonNode;
import dev.acmesmime.rfc8823.JwkThumbprint;
import dev.acmesmime.testca.TestCaSettings.Eab;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.keys.HmacKey;
import org.jose4j.lang.JoseException;

/**
 * External Account Binding (RFC 8555 §7.3.4), as commercial CAs require it. Policy {@code eab}: {@code off}
 * ignores a binding, {@code optional} checks one when present, {@code required} refuses a newAccount
 * without one (externalAccountRequired).
 * <p>
 * A binding is a flattened JWS with a MAC algorithm (HS256, HS384 or HS512), {@code kid} = a key id of
 * {@code eab.key.<kid>}, {@code url} = the newAccount URL, no nonce, and the account's JWK as payload. An
 * unknown kid, a wrong MAC, another URL or another key is unauthorized; a binding of the wrong shape is
 * malformed. The MAC keys are never logged.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8555#section-7.3.4">RFC 8555 §7.3.4</a>
 */
public final class ExternalAccountBinding {
    private static final Set<String> MACS = Set.of(AlgorithmIdentifiers.HMAC_SHA256,
            AlgorithmIdentifiers.HMAC_SHA384, AlgorithmIdentifiers.HMAC_SHA512);

    private final Eab policy;
    private final Map<String, byte[]> keys;

    public ExternalAccountBinding(Eab policy, Map<String, byte[]> keys) {
        this.policy = policy;
        this.keys = Map.copyOf(keys);
    }

    /** True when newAccount refuses to create an account without a binding. */
    public boolean required() {
        return policy == Eab.REQUIRED;
    }

    /**
     * Checks the binding of a newAccount that creates an account.
     *
     * @param binding       the payload's {@code externalAccountBinding}, or null
     * @param accountKey    the newAccount's {@code jwk}
     * @param newAccountUrl this server's newAccount URL
     * @return the EAB key id the account is bound to; empty when none is bound
     */
    public Optional<String> check(JsonNode binding, PublicJsonWebKey accountKey, String newAccountUrl) {
        if (policy == Eab.OFF) {
            return Optional.empty();
        }
        if (binding == null || binding.isNull()) {
            if (policy == Eab.REQUIRED) {
                throw Problem.of(ProblemType.EXTERNAL_ACCOUNT_REQUIRED,
                        "this CA requires an externalAccountBinding").exception();
            }
            return Optional.empty();
        }
        JwsVerifier.Flattened jws = JwsVerifier.Flattened.parse(binding.toString()
                .getBytes(StandardCharsets.UTF_8));
        JsonNode header = jws.header();
        String alg = header.path("alg").asText("");
        if (!MACS.contains(alg)) {
            throw malformed("externalAccountBinding alg must be one of " + MACS + ", not " + alg);
        }
        if (header.has("nonce") || header.has("jwk")) {
            throw malformed("externalAccountBinding must have neither nonce nor jwk (RFC 8555 §7.3.4)");
        }
        String kid = header.path("kid").asText("");
        byte[] key = keys.get(kid);
        if (key == null) {
            throw unauthorized("externalAccountBinding kid " + kid + " is not known");
        }
        if (!newAccountUrl.equals(header.path("url").asText(""))) {
            throw unauthorized("externalAccountBinding url must be the newAccount URL " + newAccountUrl);
        }
        String payload = verifyMac(jws, alg, key);
        String boundThumbprint;
        try {
            boundThumbprint = JwkThumbprint.ofJwk(payload);
        } catch (IllegalArgumentException e) {
            throw malformed("externalAccountBinding payload is not a JWK");
        }
        if (!boundThumbprint.equals(Accounts.thumbprint(accountKey))) {
            throw unauthorized("externalAccountBinding binds another key than the account's");
        }
        return Optional.of(kid);
    }

    private static String verifyMac(JwsVerifier.Flattened flattened, String alg, byte[] key) {
        JsonWebSignature jws = new JsonWebSignature();
        try {
            jws.setAlgorithmConstraints(new AlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT, alg));
            jws.setCompactSerialization(flattened.compact());
            jws.setKey(new HmacKey(key));
            // settings already insist on 16+ byte keys; jose4j would want one as long as the hash
            jws.setDoKeyValidation(false);
            if (!jws.verifySignature()) {
                throw unauthorized("externalAccountBinding MAC does not verify");
            }
            return jws.getPayload();
        } catch (JoseException e) {
            throw unauthorized("externalAccountBinding MAC does not verify");
        }
    }

    private static AcmeProblemException malformed(String detail) {
        return Problem.of(ProblemType.MALFORMED, detail).exception();
    }

    private static AcmeProblemException unauthorized(String detail) {
        return Problem.of(ProblemType.UNAUTHORIZED, detail).exception();
    }
}
