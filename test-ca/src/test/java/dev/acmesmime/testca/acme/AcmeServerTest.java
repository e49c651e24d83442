package dev.acmesmime.testca.acme;

import static dev.acmesmime.testca.acme.AcmeHttp.json;
import static dev.acmesmime.testca.acme.AcmeHttp.problem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The ACME server in process, over real HTTP (java.net.http) with jose4j-signed requests: directory, nonces,
 * accounts, orders and the {@code email-reply-00} challenge, and the protocol's refusals on the wire.
 * Challenge mails go to a recorder instead of an SMTP relay.
 */
class AcmeServerTest extends InProcessCa {

    @Test
    void theDirectoryNamesEveryResourceAndTheTerms() throws Exception {
        for (String name : new String[] {"newNonce", "newAccount", "newOrder", "revokeCert", "keyChange",
                "renewalInfo"}) {
            assertThat(client.url(name)).startsWith("http://127.0.0.1:");
        }
        assertThat(client.directory.path("meta").path("externalAccountRequired").asBoolean(true)).isFalse();
        HttpResponse<String> terms = client.get(client.directory.path("meta").path("termsOfService").asText());
        assertThat(terms.statusCode()).isEqualTo(200);
        assertThat(terms.body()).contains("TEST");
        assertThat(Files.readString(server.rootPem())).startsWith("-----BEGIN CERTIFICATE-----");
    }

    @Test
    void newNonceAnswersHeadWith200AndGetWith204NeverCached() throws Exception {
        HttpResponse<String> head = client.head(client.url("newNonce"));
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.headers().firstValue("Replay-Nonce")).isPresent();
        assertThat(head.headers().firstValue("Cache-Control")).contains("no-store");
        HttpResponse<String> get = client.get(client.url("newNonce"));
        assertThat(get.statusCode()).isEqualTo(204);
        assertThat(get.headers().firstValue("Replay-Nonce")).isPresent().isNotEqualTo(head.headers()
                .firstValue("Replay-Nonce"));
    }

    @Test
    void aNewKeyMakesAnAccountAndTheSameKeyFindsIt() throws Exception {
        HttpResponse<String> created = newAccount();
        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(json(created).path("status").asText()).isEqualTo("valid");
        assertThat(json(created).path("contact").get(0).asText()).isEqualTo("mailto:admin@example.org");
        String location = client.kid;
        client.kid = null;
        HttpResponse<String> again = client.post(client.url("newAccount"), "{\"onlyReturnExisting\":true}");
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(again.headers().firstValue("Location")).contains(location);
    }

    @Test
    void onlyReturnExistingWithAnUnknownKeyIsAccountDoesNotExist() throws Exception {
        HttpResponse<String> r = client.post(client.url("newAccount"), "{\"onlyReturnExisting\":true}");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.headers().firstValue("Content-Type")).contains("application/problem+json");
        assertThat(problem(r)).isEqualTo("accountDoesNotExist");
    }

    @Test
    void anOrderGetsAnEmailReplyChallengeAndItsMail() throws Exception {
        newAccount();
        HttpResponse<String> order = client.post(client.url("newOrder"),
                "{\"identifiers\":[{\"type\":\"email\",\"value\":\"alice@Example.ORG\"}]}");
        assertThat(order.statusCode()).isEqualTo(201);
        assertThat(order.headers().firstValue("Location")).isPresent();
        assertThat(order.headers().firstValue("Retry-After")).contains("2");
        JsonNode o = json(order);
        assertThat(o.path("status").asText()).isEqualTo("pending");
        assertThat(o.path("identifiers").get(0).path("value").asText()).isEqualTo("alice@example.org");

        HttpResponse<String> authz = client.post(o.path("authorizations").get(0).asText(), "");
        assertThat(authz.statusCode()).isEqualTo(200);
        JsonNode challenge = json(authz).path("challenges").get(0);
        assertThat(challenge.path("type").asText()).isEqualTo("email-reply-00");
        assertThat(challenge.path("status").asText()).isEqualTo("pending");
        assertThat(challenge.path("from").asText()).isEqualTo("acme-challenge@ca.test");
        assertThat(challenge.path("token").asText()).matches("[A-Za-z0-9_-]{22,}");
        assertThat(challenge.path("url").asText()).contains("/acme/chall/");
        await().atMost(Duration.ofSeconds(5)).until(() -> MAILED.containsKey("alice@example.org"));
        assertThat(MAILED.get("alice@example.org")).isNotEqualTo(challenge.path("token").asText());

        HttpResponse<String> posted = client.post(challenge.path("url").asText(), "{}");
        assertThat(posted.statusCode()).isEqualTo(200);
        assertThat(posted.headers().allValues("Link")).anyMatch(l -> l.contains("rel=\"up\""));
    }

    @Test
    void aFinalizeBeforeTheChallengeIsValidIsOrderNotReady() throws Exception {
        newAccount();
        JsonNode o = json(client.post(client.url("newOrder"),
                "{\"identifiers\":[{\"type\":\"email\",\"value\":\"bob@example.org\"}]}"));
        HttpResponse<String> r = client.post(o.path("finalize").asText(), "{\"csr\":\"MIIB\"}");
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(problem(r)).isEqualTo("orderNotReady");
    }

    @Test
    void dnsAndWildcardIdentifiersAreRejected() throws Exception {
        newAccount();
        for (String id : new String[] {"{\"type\":\"dns\",\"value\":\"example.org\"}",
                "{\"type\":\"email\",\"value\":\"*@example.org\"}"}) {
            HttpResponse<String> r = client.post(client.url("newOrder"), "{\"identifiers\":[" + id + "]}");
            assertThat(problem(r)).isEqualTo("rejectedIdentifier");
            assertThat(json(r).path("detail").asText()).contains("example.org");
        }
    }

    @Test
    void aReusedNonceIsBadNonceAndTheAnswerCarriesAFreshOne() throws Exception {
        newAccount();
        String used = client.nonce;
        client.post(client.kid, "");
        client.nonce = used;
        HttpResponse<String> r = client.post(client.kid, "");
        assertThat(problem(r)).isEqualTo("badNonce");
        assertThat(r.headers().firstValue("Replay-Nonce")).isPresent().get().isNotEqualTo(used);
        assertThat(client.post(client.kid, "").statusCode()).isEqualTo(200);
    }

    @Test
    void anotherAccountsKidIsUnauthorized() throws Exception {
        newAccount();
        String first = client.kid;
        AcmeHttp other = new AcmeHttp(server.directory(), Jws.rsa());
        other.post(other.url("newAccount"), "{\"termsOfServiceAgreed\":true}").headers().firstValue("Location")
                .ifPresent(k -> other.kid = k);
        HttpResponse<String> r = other.post(first, "");
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(problem(r)).isEqualTo("unauthorized");
    }

    @Test
    void aGetOnAPostAsGetResourceIs405AndAnotherContentTypeIs415() throws Exception {
        newAccount();
        HttpResponse<String> get = client.get(client.kid);
        assertThat(get.statusCode()).isEqualTo(405);
        assertThat(problem(get)).isEqualTo("malformed");
        HttpResponse<String> text = client.raw(client.url("newOrder"), "{}".getBytes(StandardCharsets.UTF_8),
                "application/json");
        assertThat(text.statusCode()).isEqualTo(415);
        assertThat(problem(text)).isEqualTo("malformed");
    }

    @Test
    void anUnknownPathIs404() throws Exception {
        HttpResponse<String> r = client.get(client.url("newNonce").replace("new-nonce", "nothing"));
        assertThat(r.statusCode()).isEqualTo(404);
    }
}
