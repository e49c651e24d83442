package dev.acmesmime.testca.acme;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.acmesmime.testca.TestCaSettings.Eab;
import java.security.SecureRandom;
import java.util.Map;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Unit tests for {@link ExternalAccountBinding} (RFC 8555 §7.3.4). */
class ExternalAccountBindingTest {
    private static final String URL = "http://127.0.0.1:14000/acme/new-account";
    private final byte[] macKey = new SecureRandom().generateSeed(32);
    private final Map<String, byte[]> keys = Map.of("kid-1", macKey);
    private PublicJsonWebKey account;

    @BeforeEach
    void setUp() throws Exception {
        account = Jws.ec256();
    }

    private ProblemType refusal(Eab policy, JsonNode binding) {
        return catchThrowableOfType(() -> new ExternalAccountBinding(policy, keys).check(binding, account, URL),
                AcmeProblemException.class).problem().type();
    }

    @Test
    void aGoodBindingGivesItsKid() throws Exception {
        for (String alg : new String[] {"HS256", "HS384", "HS512"}) {
            JsonNode binding = Jws.eab(alg, "kid-1", macKey, URL, account);
            assertThat(new ExternalAccountBinding(Eab.REQUIRED, keys).check(binding, account, URL)).contains("kid-1");
            assertThat(new ExternalAccountBinding(Eab.OPTIONAL, keys).check(binding, account, URL)).contains("kid-1");
        }
    }

    @Test
    void noBindingIsExternalAccountRequiredOnlyWhenRequired() {
        assertThat(refusal(Eab.REQUIRED, null)).isEqualTo(ProblemType.EXTERNAL_ACCOUNT_REQUIRED);
        assertThat(new ExternalAccountBinding(Eab.OPTIONAL, keys).check(null, account, URL)).isEmpty();
    }

    @Test
    void offIgnoresEvenAWrongBinding() throws Exception {
        JsonNode wrong = Jws.eab("HS256", "kid-1", new SecureRandom().generateSeed(32), URL, account);
        assertThat(new ExternalAccountBinding(Eab.OFF, keys).check(wrong, account, URL)).isEmpty();
    }

    @Test
    void aMacMadeWithAnotherKeyIsUnauthorized() throws Exception {
        JsonNode wrong = Jws.eab("HS256", "kid-1", new SecureRandom().generateSeed(32), URL, account);
        assertThat(refusal(Eab.REQUIRED, wrong)).isEqualTo(ProblemType.UNAUTHORIZED);
        assertThat(refusal(Eab.OPTIONAL, wrong)).isEqualTo(ProblemType.UNAUTHORIZED);
    }

    @Test
    void anUnknownKidIsUnauthorized() throws Exception {
        assertThat(refusal(Eab.REQUIRED, Jws.eab("HS256", "kid-2", macKey, URL, account)))
                .isEqualTo(ProblemType.UNAUTHORIZED);
    }

    @Test
    void anotherUrlIsUnauthorized() throws Exception {
        assertThat(refusal(Eab.REQUIRED, Jws.eab("HS256", "kid-1", macKey, URL + "x", account)))
                .isEqualTo(ProblemType.UNAUTHORIZED);
    }

    @Test
    void aBindingOfAnotherKeyIsUnauthorized() throws Exception {
        assertThat(refusal(Eab.REQUIRED, Jws.eab("HS256", "kid-1", macKey, URL, Jws.ec256())))
                .isEqualTo(ProblemType.UNAUTHORIZED);
    }

    @Test
    void aSignatureAlgorithmOrAWrongShapeIsMalformed() throws Exception {
        JsonNode signed = new ObjectMapper().readTree(Jws.sign(account, AlgorithmIdentifiers
                .ECDSA_USING_P256_CURVE_AND_SHA256, "kid-1", null, URL, Jws.publicJwk(account)));
        assertThat(refusal(Eab.REQUIRED, signed)).isEqualTo(ProblemType.MALFORMED);
        assertThat(refusal(Eab.REQUIRED, new ObjectMapper().readTree("\"abc\""))).isEqualTo(ProblemType.MALFORMED);
    }
}
