package dev.acmesmime.testca.negative;

import static dev.acmesmime.testca.negative.ProtocolNegativesTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import java.security.KeyPair;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.acmesmime.rfc8823.KeyAuthorization;

/**
 * The rules of a request's form (RFC 8555 §6.2, §6.3), of accounts (§7.3) and of reuse: {@code jwk} or
 * {@code kid} where each belongs, the media type, POST-as-GET, deactivated accounts, a validation that is not
 * reused for another order, and native-contract results replayed or out of their time window.
 */
class RequestFormNegativesTest {
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

    private static String newOrder() {
        return client.resource("newOrder").toString();
    }

    @Test
    void jwkAndKidTogetherAreMalformed() {
        Account account = client.account();
        AcmeResponse r = client.post(client.request(newOrder()).jwk(account.keys()).alsoKid(account.url())
                .payload(RawAcmeClient.orderPayload(mailbox())));
        assertProblem(r, "malformed", 400);
        assertThat(r.replayNonce()).as("error answers carry a nonce too (RFC 8555 §6.5)").isPresent();
    }

    @Test
    void newAccountNeedsAJwkAndAnOrderAKid() {
        Account account = client.account();
        assertProblem(client.post(client.request(client.resource("newAccount")).kid(account.url(), account.keys())
                .payload("{\"termsOfServiceAgreed\":true}")), "malformed", 400);
        assertProblem(client.post(client.request(newOrder()).jwk(account.keys())
                .payload(RawAcmeClient.orderPayload(mailbox()))), "malformed", 400);
    }

    @Test
    void aJwsMustComeAsApplicationJoseJson() {
        Account account = client.account();
        AcmeResponse r = client.post(client.as(account, newOrder()).payload(RawAcmeClient.orderPayload(mailbox())),
                "application/json");
        assertProblem(r, "malformed", 415);
    }

    @Test
    void resourcesOtherThanTheDirectoryAndNewNonceAreNotReadByGet() {
        Account account = client.account();
        AcmeResponse order = client.newOrder(account, mailbox());
        assertThat(order.status()).isEqualTo(201);
        assertProblem(client.plainGet(order.location().orElseThrow()), "malformed", 405);
    }

    @Test
    void onlyReturnExistingNeverCreatesAnAccount() {
        KeyPair unknown = RawAcmeClient.ec256();
        AcmeResponse r = client.post(client.request(client.resource("newAccount")).jwk(unknown)
                .payload("{\"onlyReturnExisting\":true}"));
        assertProblem(r, "accountDoesNotExist", 400);
    }

    @Test
    void aDeactivatedAccountCanNoLongerOrder() {
        Account account = client.account();
        AcmeResponse off = client.post(client.as(account, account.url()).payload("{\"status\":\"deactivated\"}"));
        assertThat(off.status()).as(off.toString()).isEqualTo(200);
        assertThat(off.json().path("status").asText()).isEqualTo("deactivated");
        assertProblem(client.newOrder(account, mailbox()), "unauthorized", 403);
    }

    @Test
    void aValidationIsNeverReusedForAnotherOrder() {
        String address = mailbox();
        Account account = client.account();
        EmailOrder first = EmailOrder.place(ca, client, account, address).validate(ca, client);
        AcmeResponse again = client.newOrder(account, address);
        assertThat(again.status()).as(again.toString()).isEqualTo(201);
        assertThat(again.json().path("status").asText()).isEqualTo("pending");
        String authz = again.json().path("authorizations").path(0).asText();
        assertThat(authz).isNotEqualTo(first.authorization());
        assertThat(client.get(account, authz).json().path("status").asText()).isEqualTo("pending");
    }

    @Test
    void aReplayedOrStaleResultIsRefused() {
        EmailOrder order = EmailOrder.place(ca, client, client.account(), mailbox());
        byte[] body = ResultPoster.body(order.mail(), KeyAuthorization.digest(order.mail().tokenPart1(),
                order.token(), order.account().thumbprint()));
        long now = Instant.now().getEpochSecond();
        assertThat(ca.results().signed(body, now - 600).status()).as("10 minutes old").isEqualTo(401);
        assertThat(ca.results().signed(body, now + 600).status()).as("10 minutes ahead").isEqualTo(401);
        assertThat(ca.results().signed(body, now).outcome()).isEqualTo("waiting-for-post");
        assertThat(ca.results().signed(body, now).status()).as("the same signature again").isEqualTo(401);
    }
}
