package dev.acmesmime.testca.negative;

import static dev.acmesmime.testca.negative.ProtocolNegativesTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** With {@code eab=required}, newAccount needs a binding MACed with a configured key (RFC 8555 §7.3.4). */
class ExternalAccountBindingNegativesTest {
    @RegisterExtension
    static final SharedTestCa SHARED = new SharedTestCa(TestCaHarness.withEab("required"));
    private static RawAcmeClient client;

    @BeforeAll
    static void names() {
        client = SHARED.client();
    }

    @Test
    void theDirectorySaysABindingIsRequired() {
        assertThat(client.directory().path("meta").path("externalAccountRequired").asBoolean()).isTrue();
    }

    @Test
    void withoutABindingTheAccountIsRefused() {
        // RFC 8555 §7.3.4 names no status; Pebble answers 400 (earlier versions 403)
        assertProblem(client.newAccount(RawAcmeClient.ec256(), null), "externalAccountRequired", 400);
    }

    @Test
    void aBindingMacedWithAnotherKeyIsUnauthorized() {
        KeyPair key = RawAcmeClient.ec256();
        byte[] otherKey = "another-key-of-thirty-two-bytes!".getBytes(StandardCharsets.US_ASCII);
        AcmeResponse r = client.newAccount(key, ExternalAccountBinding.of(TestCaHarness.EAB_KID, otherKey,
                key.getPublic(), client.resource("newAccount")));
        assertProblem(r, "unauthorized", 403);
    }

    @Test
    void aBindingOverAnotherKeyIsUnauthorized() {
        KeyPair key = RawAcmeClient.ec256();
        AcmeResponse r = client.newAccount(key, ExternalAccountBinding.of(TestCaHarness.EAB_KID,
                TestCaHarness.EAB_KEY, RawAcmeClient.ec256().getPublic(), client.resource("newAccount")));
        assertThat(r.status()).as(r.toString()).isIn(400, 403);
        assertThat(r.problemType()).isIn(AcmeResponse.ERROR_PREFIX + "unauthorized",
                AcmeResponse.ERROR_PREFIX + "malformed");
    }

    @Test
    void theRightBindingCreatesTheAccount() {
        KeyPair key = RawAcmeClient.ec256();
        AcmeResponse r = client.newAccount(key, ExternalAccountBinding.of(TestCaHarness.EAB_KID,
                TestCaHarness.EAB_KEY, key.getPublic(), client.resource("newAccount")));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        assertThat(r.json().path("externalAccountBinding").isMissingNode()).as(r.toString()).isFalse();
    }
}
