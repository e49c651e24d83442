package dev.acmesmime.testca.acme;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Optional;
import org.jose4j.jwk.PublicJsonWebKey;

/**
 * A POST whose JWS {@link JwsVerifier} accepted (RFC 8555 §6.2).
 *
 * @param url       the protected {@code url} header, equal to the request URL
 * @param payload   the payload text; empty for POST-as-GET (§6.3)
 * @param key       the key that signed it: the {@code jwk} header, or the account's key for {@code kid}
 * @param account   the account of the {@code kid}; empty when the request carried a {@code jwk}
 * @param algorithm the JWS {@code alg}
 */
public record SignedRequest(String url, String payload, PublicJsonWebKey key, Optional<Account> account,
                            String algorithm) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** RFC 8555 §6.3: the empty payload of a POST-as-GET. */
    public boolean postAsGet() {
        return payload.isEmpty();
    }

    /** The payload as a JSON object, or a malformed problem. */
    public JsonNode json() {
        try {
            JsonNode n = JSON.readTree(payload);
            if (n != null && n.isObject()) {
                return n;
            }
        } catch (JsonProcessingException e) {
            // reported below
        }
        throw Problem.of(ProblemType.MALFORMED, "the JWS payload is not a JSON object").exception();
    }

    /** The account of the {@code kid}; only called on resources that require one. */
    public Account requireAccount() {
        return account.orElseThrow(() -> Problem.of(ProblemType.MALFORMED,
                "this resource needs a kid (account URL), not a jwk").exception());
    }
}
