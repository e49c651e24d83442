package dev.acmesmime.testca.negative;

import static dev.acmesmime.testca.negative.AcmeResponse.ERROR_PREFIX;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.Map;

import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.keys.HmacKey;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The test CA refuses what RFC 8555 and RFC 8823 forbid, each time with the right problem document: its
 * {@code type}, HTTP status and {@code application/problem+json}. Requests are built by hand
 * ({@link RawAcmeClient}) so each carries exactly one mistake; the CA-role James is played by
 * {@link ResultPoster}.
 */
class ProtocolNegativesTest {
    @RegisterExtension
    static final SharedTestCa SHARED = new SharedTestCa(Map.of());
    private static TestCaHarness ca;
    private static RawAcmeClient client;

    @BeforeAll
    static void names() {
        ca = SHARED.ca();
        client = SHARED.client();
    }

    private static String mailbox() {
        return SHARED.mailbox();
    }

    static void assertProblem(AcmeResponse r, String type, int status) {
        assertThat(r.problemType()).as(r.toString()).isEqualTo(ERROR_PREFIX + type);
        assertThat(r.status()).as(r.toString()).isEqualTo(status);
        assertThat(r.contentType()).as(r.toString()).isEqualTo("application/problem+json");
    }

    @Test
    void aDamagedSignatureIsMalformed() {
        Account account = client.account();
        AcmeResponse r = client.post(client.as(account, client.resource("newOrder").toString())
                .payload(RawAcmeClient.orderPayload(mailbox())).damageSignature());
        // RFC 8555 §6.2 names no type for a signature that does not verify; Pebble and Boulder say malformed
        assertProblem(r, "malformed", 400);
    }

    @Test
    void aNonceIsGoodOnce() {
        Account account = client.account();
        String nonce = client.freshNonce();
        String order = client.resource("newOrder").toString();
        AcmeResponse first = client.post(client.as(account, order).payload(RawAcmeClient.orderPayload(mailbox()))
                .nonce(nonce));
        assertThat(first.status()).as(first.toString()).isEqualTo(201);

        AcmeResponse again = client.post(client.as(account, order).payload(RawAcmeClient.orderPayload(mailbox()))
                .nonce(nonce));
        assertProblem(again, "badNonce", 400);
        assertThat(again.replayNonce()).as("a fresh nonce with badNonce (RFC 8555 §6.5)").isPresent()
                .get().isNotEqualTo(nonce);
    }

    @Test
    void theUrlHeaderMustBeTheRequestUrl() {
        Account account = client.account();
        AcmeResponse r = client.post(client.as(account, client.resource("newOrder").toString())
                .url(client.resource("newAccount").toString()).payload(RawAcmeClient.orderPayload(mailbox())));
        assertProblem(r, "unauthorized", 403);
    }

    @Test
    void anotherAccountCannotReadOrAnswerThisAccountsOrder() {
        Account owner = client.account();
        Account intruder = client.account();
        EmailOrder order = EmailOrder.place(ca, client, owner, mailbox());

        assertProblem(client.get(intruder, order.orderUrl()), "unauthorized", 403);
        assertProblem(client.get(intruder, order.authorization()), "unauthorized", 403);
        assertProblem(client.post(client.as(intruder, order.challengeUrl()).payload("{}")), "unauthorized", 403);
        assertThat(order.challenge(client).path("status").asText()).isEqualTo("pending");
    }

    @Test
    void anUnknownKidIsAnAccountThatDoesNotExist() {
        Account known = client.account();
        Account ghost = new Account(RawAcmeClient.ec256(), known.url() + "0");
        assertProblem(client.newOrder(ghost, mailbox()), "accountDoesNotExist", 400);
    }

    @ParameterizedTest
    @ValueSource(strings = {"*@org.test", "dns:org.test", "dns:*.org.test", "ip:127.0.0.1"})
    void onlyPlainEmailIdentifiersAreAccepted(String identifier) {
        Account account = client.account();
        assertProblem(client.newOrder(account, identifier), "rejectedIdentifier", 400);
    }

    @ParameterizedTest
    @ValueSource(strings = {AlgorithmIdentifiers.NONE, AlgorithmIdentifiers.HMAC_SHA256})
    void anAccountJwsWithoutAPublicKeySignatureIsABadSignatureAlgorithm(String alg) {
        KeyPair key = RawAcmeClient.ec256();
        AcmeResponse r = client.post(client.request(client.resource("newAccount")).jwk(key).alg(alg)
                .signWith(new HmacKey("a-mac-key-that-is-long-enough-32".getBytes(StandardCharsets.US_ASCII)))
                .payload("{\"termsOfServiceAgreed\":true}"));
        assertProblem(r, "badSignatureAlgorithm", 400);
        // RFC 8555 §6.2: the problem document MUST list the algorithms the server supports
        assertThat(r.json().path("algorithms").isArray()).as(r.toString()).isTrue();
        assertThat(r.json().path("algorithms").toString()).contains("ES256").doesNotContain(alg);
    }

    @Test
    void finalizeBeforeTheAuthorizationIsValidIsOrderNotReady() {
        String address = mailbox();
        EmailOrder order = EmailOrder.place(ca, client, client.account(), address);
        AcmeResponse r = client.post(client.as(order.account(), order.order().path("finalize").asText())
                .payload(Csrs.finalizePayload(Csrs.of(RawAcmeClient.ec256(), address))));
        assertProblem(r, "orderNotReady", 403);
    }

    @Test
    void aCsrWithAnExtraAddressIsABadCsr() {
        String address = mailbox();
        EmailOrder order = EmailOrder.place(ca, client, client.account(), address).validate(ca, client);
        assertThat(order.orderStatus(client)).isEqualTo("ready");

        AcmeResponse r = client.post(client.as(order.account(), order.order().path("finalize").asText())
                .payload(Csrs.finalizePayload(Csrs.of(RawAcmeClient.ec256(), address, "extra@org.test"))));
        assertProblem(r, "badCSR", 400);
        assertThat(order.orderStatus(client)).as("a refused CSR leaves the order to be finalized again")
                .isIn("ready", "invalid");
    }

    @Test
    void aResultWithABadHmacIsRefusedAndChangesNothing() {
        EmailOrder order = EmailOrder.place(ca, client, client.account(), mailbox());
        ResultPoster.Answer answer = ca.resultsWithKey("not-the-forward-key".getBytes(StandardCharsets.US_ASCII))
                .correct(order.mail(), order.token(), order.account());
        assertThat(answer.status()).as(answer.toString()).isEqualTo(401);

        order.respond(client);
        assertThat(order.challenge(client).path("status").asText()).as("still waiting for an authentic result")
                .isIn("pending", "processing");
        assertThat(ca.results().correct(order.mail(), order.token(), order.account()).status() / 100)
                .as("the authentic result still counts").isEqualTo(2);
    }

    @Test
    void aWrongDigestAfterAValidOneChangesNothing() {
        EmailOrder order = EmailOrder.place(ca, client, client.account(), mailbox()).validate(ca, client);
        ResultPoster.Answer second = ca.results().wrong(order.mail(), order.token());
        assertThat(second.status() / 100).as(second.toString()).isEqualTo(2);
        assertThat(second.outcome()).isEqualTo("already-final");
        assertThat(order.challenge(client).path("status").asText()).isEqualTo("valid");
        assertThat(order.orderStatus(client)).isEqualTo("ready");
    }

    @Test
    void theFirstWrongDigestMakesTheChallengeInvalid() {
        EmailOrder order = EmailOrder.place(ca, client, client.account(), mailbox());
        ResultPoster.Answer first = ca.results().wrong(order.mail(), order.token());
        assertThat(first.status() / 100).as(first.toString()).isEqualTo(2);
        assertThat(first.outcome()).isEqualTo("invalid");

        JsonNode challenge = order.challenge(client);
        assertThat(challenge.path("status").asText()).as(challenge.toString()).isEqualTo("invalid");
        assertThat(challenge.path("error").path("type").asText()).isEqualTo(ERROR_PREFIX + "incorrectResponse");
        // RFC 8823 §6: one chance to guess; the right digest afterwards does not revive it
        assertThat(ca.results().correct(order.mail(), order.token(), order.account()).outcome())
                .isEqualTo("already-final");
        assertThat(order.challenge(client).path("status").asText()).isEqualTo("invalid");
    }

    @Test
    void aSecondOrderWithinTheMinuteIsRateLimited() throws IOException {
        try (TestCaHarness limited = TestCaHarness.start(Map.of("rateLimit.ordersPerMinute", "1"))) {
            RawAcmeClient c = limited.client();
            Account account = c.account();
            assertThat(c.newOrder(account, mailbox()).status()).isEqualTo(201);
            AcmeResponse second = c.newOrder(account, mailbox());
            assertProblem(second, "rateLimited", 429);
            assertThat(second.header("Retry-After")).as(second.toString()).isPresent();
            assertThat(c.newOrder(c.account(), mailbox()).status()).as("the limit is per account").isEqualTo(201);
        }
    }

    @Test
    void theNonceFaultRefusesValidNonces() throws IOException {
        try (TestCaHarness faulty = TestCaHarness.start(Map.of("fault.nonceRejectPercent", "100"))) {
            RawAcmeClient c = faulty.client();
            String nonce = c.freshNonce();
            AcmeResponse r = c.post(c.request(c.resource("newAccount")).jwk(RawAcmeClient.ec256()).nonce(nonce)
                    .payload("{\"termsOfServiceAgreed\":true}"));
            assertProblem(r, "badNonce", 400);
            assertThat(r.replayNonce()).isPresent().get().isNotEqualTo(nonce);
        }
    }
}
