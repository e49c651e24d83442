package dev.acmesmime.testca.acme;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.lang.JoseException;

/**
 * Checks the flattened JSON JWS of every ACME POST (RFC 8555 §6.2–§6.5), with jose4j doing the JOSE:
 * <ul>
 *   <li>{@code alg} one of ES256, ES384, ES512, RS256, EdDSA; {@code none} and MACs are badSignatureAlgorithm
 *       (§6.2);</li>
 *   <li>exactly one of {@code jwk} and {@code kid}; {@code jwk} only where the resource allows it (newAccount,
 *       revokeCert by the certificate's key), {@code kid} the URL of an existing account (accountDoesNotExist)
 *       that is not deactivated (unauthorized) (§6.2);</li>
 *   <li>the signature, by that key;</li>
 *   <li>the protected {@code url} equals the request URL, else unauthorized (§6.4);</li>
 *   <li>the {@code nonce} is one this server issued and not yet used (§6.5, {@link Nonces}).</li>
 * </ul>
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8555#section-6.2">RFC 8555 §6.2</a>
 */
public final class JwsVerifier {

    /** Which key header a resource accepts (RFC 8555 §6.2). */
    public enum KeyHeader { JWK, KID, EITHER }

    /** The signature algorithms accepted; every one an ACME client is likely to use, none a MAC. */
    public static final Set<String> ALGORITHMS = Set.of(AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256,
            AlgorithmIdentifiers.ECDSA_USING_P384_CURVE_AND_SHA384,
            AlgorithmIdentifiers.ECDSA_USING_P521_CURVE_AND_SHA512, AlgorithmIdentifiers.RSA_USING_SHA256,
            AlgorithmIdentifiers.EDDSA);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Nonces nonces;
    private final Function<String, Optional<Account>> accountByUrl;

    public JwsVerifier(Nonces nonces, Function<String, Optional<Account>> accountByUrl) {
        this.nonces = nonces;
        this.accountByUrl = accountByUrl;
    }

    /**
     * @param body       the request body
     * @param requestUrl the URL the request was sent to, as this server names it
     * @param keyHeader  what the resource accepts
     */
    public SignedRequest verify(byte[] body, String requestUrl, KeyHeader keyHeader) {
        Flattened jws = Flattened.parse(body);
        JsonNode header = jws.header();
        String alg = text(header, "alg").orElseThrow(() -> malformed("the protected header has no alg"));
        if (!ALGORITHMS.contains(alg)) {
            throw Problem.of(ProblemType.BAD_SIGNATURE_ALGORITHM, "alg " + alg + " is not accepted; use one of "
                    + ALGORITHMS).exception();
        }
        boolean hasJwk = header.has("jwk");
        Optional<String> kid = text(header, "kid");
        if (hasJwk == kid.isPresent()) {
            throw malformed("the protected header must have exactly one of jwk and kid");
        }
        Optional<Account> account = Optional.empty();
        PublicJsonWebKey key;
        if (hasJwk) {
            if (keyHeader == KeyHeader.KID) {
                throw malformed("this resource needs a kid (account URL), not a jwk");
            }
            key = publicKey(header.get("jwk"));
        } else {
            if (keyHeader == KeyHeader.JWK) {
                throw malformed("this resource needs a jwk, not a kid");
            }
            account = Optional.of(account(kid.get()));
            key = account.get().key();
        }
        String payload = checkSignature(jws, key);
        String url = text(header, "url").orElseThrow(() -> malformed("the protected header has no url"));
        if (!url.equals(requestUrl)) {
            throw Problem.of(ProblemType.UNAUTHORIZED, "the url header " + url + " is not the request URL "
                    + requestUrl).exception();
        }
        nonces.consume(text(header, "nonce").orElseThrow(() -> Problem.of(ProblemType.BAD_NONCE,
                "the protected header has no nonce").exception()));
        return new SignedRequest(url, payload, key, account, alg);
    }

    private Account account(String kid) {
        Account a = accountByUrl.apply(kid).orElseThrow(() -> Problem.of(ProblemType.ACCOUNT_DOES_NOT_EXIST,
                "no account has the URL " + kid).exception());
        if (!a.active()) {
            throw Problem.of(ProblemType.UNAUTHORIZED, "account " + kid + " is deactivated").exception();
        }
        return a;
    }

    /** The JWK as a public key; one with private members is refused, since a client must never send it. */
    static PublicJsonWebKey publicKey(JsonNode jwk) {
        if (jwk == null || !jwk.isObject() || jwk.has("d") || jwk.has("p") || jwk.has("k")) {
            throw malformed("jwk is not a public JSON Web Key");
        }
        try {
            return PublicJsonWebKey.Factory.newPublicJwk(jwk.toString());
        } catch (JoseException | RuntimeException e) {
            throw Problem.of(ProblemType.BAD_PUBLIC_KEY, "jwk is not a usable public key: " + e.getMessage())
                    .exception();
        }
    }

    private static String checkSignature(Flattened flattened, PublicJsonWebKey key) {
        JsonWebSignature jws = new JsonWebSignature();
        try {
            jws.setAlgorithmConstraints(new AlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT,
                    ALGORITHMS.toArray(String[]::new)));
            jws.setCompactSerialization(flattened.compact());
            jws.setKey(key.getPublicKey());
            if (!jws.verifySignature()) {
                throw malformed("the JWS signature does not verify");
            }
            return jws.getPayload();
        } catch (JoseException e) {
            throw malformed("the JWS signature does not verify: " + e.getMessage());
        }
    }

    private static Optional<String> text(JsonNode o, String name) {
        JsonNode v = o.get(name);
        return v != null && v.isTextual() ? Optional.of(v.asText()) : Optional.empty();
    }

    private static AcmeProblemException malformed(String detail) {
        return Problem.of(ProblemType.MALFORMED, detail).exception();
    }

    /** The flattened JSON serialization (RFC 7515 §7.2.2), the only one ACME allows (RFC 8555 §6.2). */
    record Flattened(String protectedPart, String payloadPart, String signaturePart, JsonNode header) {

        static Flattened parse(byte[] body) {
            JsonNode o = readObject(new String(body, StandardCharsets.UTF_8), "the request body is not a JSON "
                    + "object (a flattened JWS)");
            if (o.has("signatures") || o.has("header")) {
                throw malformed("only the flattened JWS serialization without unprotected header is accepted");
            }
            String p = text(o, "protected").orElseThrow(() -> malformed("the JWS has no protected header"));
            String payload = text(o, "payload").orElseThrow(() -> malformed("the JWS has no payload"));
            String sig = text(o, "signature").orElseThrow(() -> malformed("the JWS has no signature"));
            String headerJson;
            try {
                headerJson = new String(Base64.getUrlDecoder().decode(p), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw malformed("the protected header is not base64url");
            }
            return new Flattened(p, payload, sig, readObject(headerJson, "the protected header is not a JSON object"));
        }

        String compact() {
            return protectedPart + "." + payloadPart + "." + signaturePart;
        }

        static JsonNode readObject(String text, String problem) {
            try {
                JsonNode n = JSON.readTree(text);
                if (n != null && n.isObject()) {
                    return n;
                }
            } catch (JsonProcessingException e) {
                // reported below
            }
            throw malformed(problem);
        }
    }
}
