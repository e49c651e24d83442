package dev.acmesmime.deploy;

import static dev.acmesmime.james.it.OrgJames.headerValues;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.subethamail.wiser.WiserMessage;

import dev.acmesmime.dkim.DkimSigner;
import dev.acmesmime.dkim.SignedFields;
import dev.acmesmime.james.it.OrgJames;
import dev.acmesmime.testing.WebAdminClient.Http;
import dev.acmesmime.rfc8823.KeyAuthorization;
import dev.acmesmime.rfc8823.MessageKind;
import dev.acmesmime.testing.Dkimpy;
import dev.acmesmime.testing.TestChallenge;

/**
 * The main path of the organisation role in a separate James 3.8.1 process started by
 * {@code bin/james} from {@code conf/org} with the assembled bundle: a challenge registered over WebAdmin
 * and sent over SMTP is answered once, with a response that dkimpy verifies, and a second delivery is not;
 * a challenge dkimpy signed with Ed25519 alone is answered, with a response signed with RSA and Ed25519
 * that dkimpy verifies both ways (RFC 8463, issue 14 §2); and a web page cannot use WebAdmin (issue 14 §1).
 * The node has an RSA and an Ed25519 key for its domain ({@link OrgRoleProcess#withEd25519}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OrgRoleProcessTest {

    static final String ALICE = "alice@" + OrgRoleProcess.DOMAIN;
    static final String PASSWORD = "alice-secret";
    static final String TOKEN_PART2 = "DGyRejmCefe7v4NfDGDKfA";
    static final String THUMBPRINT = "LPJNul-wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ";

    OrgRoleProcess james;

    @BeforeAll
    void start(@TempDir Path work) throws Exception {
        james = OrgRoleProcess.withEd25519(work, 5, 100);
        Http user = james.webAdmin().send("PUT", "/users/" + ALICE, "{\"password\":\"" + PASSWORD + "\"}");
        assertThat(user.status()).as(user.body()).isEqualTo(204);
    }

    @AfterAll
    void stop() throws Exception {
        if (james != null) {
            james.close();
            assertThat(james.log()).contains("JAMES server stopped");
        }
    }

    @Test
    void r1_r18_c22_registeredChallengeIsAnsweredOnceEndToEnd() throws Exception {
        register("https://ca.test/acme/chall/e2e");
        TestChallenge c = TestChallenge.builder().from(OrgRoleProcess.CA).to(ALICE).messageId("<e2e-1@ca.test>");
        byte[] challenge = DkimSigner.builder().privateKey(james.caKey.pkcs8()).selector("ca").build()
                .sign(c.build(), MessageKind.CHALLENGE);

        OrgJames.send(james.smtpPort, OrgRoleProcess.CA, ALICE, challenge);

        await().atMost(Duration.ofMinutes(1)).until(() -> responses(c.token()).size() == 1);
        WiserMessage response = responses(c.token()).get(0);
        assertThat(response.getEnvelopeSender()).isEqualTo(ALICE);
        assertThat(response.getEnvelopeReceiver()).isEqualTo(OrgRoleProcess.CA);
        String text = new String(response.getData(), StandardCharsets.ISO_8859_1);
        assertThat(text).contains("-----BEGIN ACME RESPONSE-----\r\n"
                + KeyAuthorization.digest(c.token(), TOKEN_PART2, THUMBPRINT) + "\r\n-----END ACME RESPONSE-----\r\n");
        assertThat(headerValues(text, "In-Reply-To")).containsExactly("<e2e-1@ca.test>");
        Dkimpy.Verification v = Dkimpy.verify(response.getData(), james.dns.server());
        assertThat(v.ok()).as(v.json()).isTrue();
        assertThat(v.d()).isEqualTo(OrgRoleProcess.DOMAIN);

        Http status = james.webAdmin().send("GET", "/acme-smime/pending-challenges/" + ALICE, null);
        assertThat(status.body()).contains("\"status\":\"answered\"",
                "\"responseMessageId\":\"" + headerValues(text, "Message-ID").get(0) + "\"");

        OrgJames.send(james.smtpPort, OrgRoleProcess.CA, ALICE, challenge);
        assertThat(headerValues(OrgJames.awaitInbox(james.imapPort, ALICE, PASSWORD, "<e2e-1@ca.test>").get("<e2e-1@ca.test>"),
                "X-Acme-Smime-Decision")).containsExactly("ignored; already-answered");
        assertThat(responses(c.token())).hasSize(1);
        assertThat(james.log()).contains("Mailet dev.acmesmime.james.mailets.AcmeChallengeResponder instantiated")
                .contains("RFC 8823 challenge for " + ALICE + " answered")
                .doesNotContain("Exception calling dev.acmesmime");
    }

    @Test
    void rfc8463_anEd25519SignedChallengeIsAnswered_withBothSignaturesVerifiedByDkimpy() throws Exception {
        register("https://ca.test/acme/chall/ed25519");
        TestChallenge c = TestChallenge.builder().from(OrgRoleProcess.CA).to(ALICE).messageId("<e2e-ed@ca.test>");
        byte[] challenge = Dkimpy.sign(c.build(), OrgRoleProcess.Env.CA_ED25519_SELECTOR, "ca.test",
                james.env.keys().key("ca-ed").dkimpy(), "--alg", "ed25519-sha256", "--headers",
                String.join(":", SignedFields.CHALLENGE_REQUIRED));
        assertThat(new String(challenge, StandardCharsets.ISO_8859_1)).contains("a=ed25519-sha256")
                .doesNotContain("a=rsa-sha256");

        OrgJames.send(james.smtpPort, OrgRoleProcess.CA, ALICE, challenge);

        await().atMost(Duration.ofMinutes(1)).until(() -> responses(c.token()).size() == 1);
        byte[] response = responses(c.token()).get(0).getData();
        assertThat(new String(response, StandardCharsets.ISO_8859_1)).contains(
                KeyAuthorization.digest(c.token(), TOKEN_PART2, THUMBPRINT));
        Dkimpy.Verification rsa = Dkimpy.verify(response, james.dns.server(), 0);
        Dkimpy.Verification ed = Dkimpy.verify(response, james.dns.server(), 1);
        assertThat(rsa.ok()).as(rsa.json()).isTrue();
        assertThat(rsa.s()).isEqualTo("acme");
        assertThat(rsa.keysize()).isEqualTo(2048);
        assertThat(ed.ok()).as(ed.json()).isTrue();
        assertThat(ed.s()).isEqualTo(OrgRoleProcess.Env.ORG_ED25519_SELECTOR);
        assertThat(ed.d()).isEqualTo(OrgRoleProcess.DOMAIN);
        assertThat(ed.keysize()).isEqualTo(256);
        assertThat(ed.h()).containsAll(SignedFields.RESPONSE_REQUIRED.stream().map(String::toLowerCase).toList());
    }

    private void register(String challengeUrl) throws Exception {
        james.registerChallenge(ALICE, challengeUrl, TOKEN_PART2, THUMBPRINT);
    }

    @Test
    void aWebPageCannotCreateAUser_butCurlCan() throws Exception {
        String mallory = "/users/mallory@" + OrgRoleProcess.DOMAIN;
        HttpResponse<String> preflight = fromEvilPage("OPTIONS", mallory, null);
        HttpResponse<String> put = fromEvilPage("PUT", mallory, "{\"password\":\"mallory-secret\"}");

        assertThat(preflight.statusCode()).as(preflight.body()).isEqualTo(403);
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
        assertThat(put.statusCode()).as(put.body()).isEqualTo(403);
        assertThat(put.body()).contains("\"statusCode\":403", "webadmin.allowedOrigins");
        assertThat(james.webAdmin().send("HEAD", mallory, null).status()).isEqualTo(404);
        Http curl = james.webAdmin().send("PUT", mallory, "{\"password\":\"mallory-secret\"}");
        assertThat(curl.status()).as(curl.body()).isEqualTo(204);
        assertThat(james.webAdmin().send("HEAD", mallory, null).status()).isEqualTo(200);
        assertThat(james.log()).contains("WebAdmin cross-origin guard installed; allowed origins: none");
    }

    /** What a script on https://evil.example in the admin's browser sends. */
    HttpResponse<String> fromEvilPage(String method, String path, String json) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + james.webAdminPort + path))
                .header("Origin", "https://evil.example").header("Sec-Fetch-Site", "cross-site")
                .header("Access-Control-Request-Method", "PUT").header("Content-Type", "application/json")
                .method(method, json == null ? BodyPublishers.noBody() : BodyPublishers.ofString(json));
        return HttpClient.newHttpClient().send(request.build(), BodyHandlers.ofString());
    }

    List<WiserMessage> responses(String token) {
        return OrgJames.responsesTo(james.sink, token);
    }
}
