package dev.acmesmime.deploy;

import static dev.acmesmime.deploy.CaJames.JSON;
import static dev.acmesmime.deploy.CaJames.SEL;
import static dev.acmesmime.deploy.CaJames.WAIT;
import static dev.acmesmime.deploy.CaMails.CA;
import static dev.acmesmime.deploy.CaMails.DIGEST;
import static dev.acmesmime.deploy.CaMails.block;
import static dev.acmesmime.deploy.CaMails.bytes;
import static dev.acmesmime.deploy.CaMails.response;
import static dev.acmesmime.deploy.CaMails.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;

import dev.acmesmime.ca.forward.Hmac;
import dev.acmesmime.deploy.CaJames.Issued;
import dev.acmesmime.ca.forward.NativeSignatureVerifier;
import dev.acmesmime.dkim.SignedFields;
import dev.acmesmime.store.SecretBytes;
import dev.acmesmime.testing.Dkimpy;
import okhttp3.mockwebserver.RecordedRequest;

/**
 * Responses to a challenge the CA's James signed: forged or broken ones never reach the ACME server
 * and their audit records name the failure code (D6–D16, R9, R15); a valid one is forwarded once with
 * a valid native HMAC, and a redelivery of it is recognised (B6).
 */
class CaResponseValidationTest {

    @RegisterExtension
    static final CaJames JAMES = CaJames.shared("native");

    @Test
    void forgedOrBrokenResponses_areNeverForwarded_andTheirAuditRecordsNameTheCode() throws Exception {
        Issued c = JAMES.challenge("alice@example.test", 'a');
        String user = c.user();
        String cid = c.messageId();
        String t1 = c.token();

        Map<String, String> expected = new LinkedHashMap<>();
        JAMES.sendResponse(user, c.response("<f-unsigned@example.test>"), null);
        expected.put("<f-unsigned@example.test>", "dkim-none");
        JAMES.sendResponse(user, c.response("<f-other@example.test>"), "other.test");
        expected.put("<f-other@example.test>", "dkim-misaligned");
        JAMES.sendResponse(user, c.response("<f-sub@example.test>"), "mail.example.test");
        expected.put("<f-sub@example.test>", "dkim-misaligned");
        byte[] withL = Dkimpy.sign(bytes(response(user, t1, cid, "<f-length@example.test>", "", "text/plain", "Hi\n")),
                SEL, "example.test", JAMES.userKey().pkcs1(), "--length", "--headers",
                String.join(":", SignedFields.RESPONSE_REQUIRED));
        JAMES.send(user, CA, text(withL) + block().replace("\n", "\r\n"));
        expected.put("<f-length@example.test>", "dkim-body-length");
        byte[] shortH = Dkimpy.sign(bytes(c.response("<f-shorth@example.test>")),
                SEL, "example.test", JAMES.userKey().pkcs1(), "--headers", "from:subject");
        JAMES.send(user, CA, text(shortH));
        expected.put("<f-shorth@example.test>", "dkim-headers");
        JAMES.sendResponse(user, response(user, t1, cid, "<f-list@example.test>", "List-Id: <users.example.test>\n",
                "text/plain", block()), "example.test");
        expected.put("<f-list@example.test>", "list-header");
        JAMES.sendResponse(user, response(user, t1, cid, "<f-quoted@example.test>", "", "text/plain",
                "Yes.\n\n> " + block().strip().replace("\n", "\n> ") + "\n"), "example.test");
        expected.put("<f-quoted@example.test>", "body-format");
        JAMES.sendResponse(user, response(user, t1, cid, "<f-html@example.test>", "", "text/html",
                "<html><body><pre>\n" + block() + "</pre></body></html>\n"), "example.test");
        expected.put("<f-html@example.test>", "body-format");

        await().atMost(WAIT).until(() -> JAMES.audit("address=" + user).stream()
                .filter(a -> a.path("event").asText().startsWith("response-")).count() >= expected.size());
        Map<String, String> got = JAMES.audit("address=" + user).stream()
                .filter(a -> a.path("event").asText().startsWith("response-"))
                .collect(Collectors.toMap(a -> a.path("messageId").asText(), a -> a.path("outcome").asText()));
        assertThat(got).isEqualTo(expected);
        assertThat(JAMES.acme().requests(user)).as("nothing reached the ACME server").isEmpty();
        assertThat(JAMES.outbox(user)).isEmpty();
    }

    @Test
    void aValidResponse_isForwardedOnce_withAValidNativeHmac_evenAfterAForgery() throws Exception {
        Issued c = JAMES.challenge("amy@example.test", 'y');
        String user = c.user();
        JAMES.sendResponse(user, c.response("<f-amy-unsigned@example.test>"), null);
        byte[] signed = JAMES.signResponse(c.response("<r-amy@example.test>"), "example.test");
        JAMES.send(user, CA, text(signed));

        await().atMost(WAIT).until(() -> !JAMES.acme().delivered(user).isEmpty());
        RecordedRequest req = JAMES.acme().delivered(user).get(0);
        byte[] body = req.getBody().clone().readByteArray();
        NativeSignatureVerifier verifier = NativeSignatureVerifier.builder()
                .key("ca-james-1", SecretBytes.of(JAMES.secret().getBytes(StandardCharsets.UTF_8))).build();
        assertThat(verifier.verify(req.getHeader(Hmac.KEY_ID_HEADER), req.getHeader(Hmac.TIMESTAMP_HEADER),
                req.getHeader(Hmac.SIGNATURE_HEADER), body)).isEqualTo(NativeSignatureVerifier.Result.OK);
        JsonNode n = JSON.readTree(body);
        assertThat(n.path("from").asText()).isEqualTo(user);
        assertThat(n.path("tokenPart1").asText()).isEqualTo(c.token());
        assertThat(n.path("digest").asText()).isEqualTo(DIGEST);
        assertThat(n.path("challenge").path("messageId").asText()).isEqualTo(c.messageId());
        assertThat(n.path("correlation")).extracting(JsonNode::asText)
                .containsExactly("subject-token", "in-reply-to", "sub-address");
        assertThat(n.path("response").path("remoteAddress").asText()).isEqualTo("127.0.0.1");

        // a redelivery of the same response is idempotent
        JAMES.send(user, CA, text(signed));
        await().atMost(WAIT).until(() -> JAMES.audit("address=" + user).stream()
                .anyMatch(a -> a.path("event").asText().equals("response-duplicate")));
        await().atMost(WAIT).until(() -> JAMES.audit("address=" + user).stream()
                .anyMatch(a -> a.path("event").asText().equals("forward-delivered")));
        assertThat(JAMES.acme().requests(user)).hasSize(1);
        assertThat(JAMES.outbox(user)).isEmpty();
        String export = JAMES.webAdmin().getOk("/acme-smime/audit/export?address=" + user);
        assertThat(export.lines()).anySatisfy(l -> assertThat(l).contains("\"type\":\"evidence\"")
                .contains("\"outcome\":\"forwarded\"").contains("\"keyBits\":2048").contains("SBR 3.2.2.4 v1.0.10"));
    }
}
