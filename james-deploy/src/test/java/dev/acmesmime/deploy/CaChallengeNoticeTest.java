package dev.acmesmime.deploy;

import static dev.acmesmime.deploy.CaJames.JSON;
import static dev.acmesmime.deploy.CaJames.WAIT;
import static dev.acmesmime.deploy.CaMails.notice;
import static dev.acmesmime.deploy.CaMails.response;
import static dev.acmesmime.deploy.CaMails.token;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;

import dev.acmesmime.testing.WebAdminClient.Http;

/**
 * Challenges the ACME server sent itself and registers with the CA's James over WebAdmin
 * ({@code POST /acme-smime/challenges}): the route's validation, then the responses to them, which
 * are forwarded (raw bridge), refused when too old (B7) or retried while DNS fails (D16).
 */
class CaChallengeNoticeTest {

    @RegisterExtension
    static final CaJames JAMES = CaJames.shared("raw");

    @Test
    void theChallengesRoute_validatesWithCoresRules_isIdempotent_andRefusesConflictingFacts() throws Exception {
        String kate = notice("<n-kate@ca.example>", token('k'), "kate@example.test", null);
        Http created = register(kate);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        JsonNode c = JSON.readTree(created.body());
        assertThat(c.path("outcome").asText()).isEqualTo("registered");
        assertThat(c.path("tag").asText()).isEqualTo("t1");
        Instant createdAt = Instant.parse(c.path("createdAt").asText());
        assertThat(Instant.parse(c.path("expiresAt").asText())).isEqualTo(createdAt.plus(Duration.ofHours(24)));

        Http again = register(kate);
        assertThat(again.status()).as(again.body()).isEqualTo(200);
        assertThat(JSON.readTree(again.body()).path("outcome").asText()).isEqualTo("already-registered");
        assertThat(JSON.readTree(again.body()).path("createdAt").asText()).isEqualTo(createdAt.toString());

        Http conflict = register(notice("<n-kate@ca.example>", token('k'), "mallory@example.test", null));
        assertThat(conflict.status()).as(conflict.body()).isEqualTo(409);
        assertThat(JSON.readTree(conflict.body()).path("message").asText())
                .isEqualTo("'messageId' <n-kate@ca.example> is registered with other facts: recipient differ");

        for (Map.Entry<String, String> e : badNotices().entrySet()) {
            Http r = register(e.getKey());
            assertThat(r.status()).as(e.getKey() + " -> " + r.body()).isEqualTo(400);
            assertThat(JSON.readTree(r.body()).path("message").asText()).as(e.getKey()).startsWith(e.getValue());
        }
        assertThat(JAMES.audit("address=kate@example.test")).extracting(a -> a.path("outcome").asText())
                .containsExactly("registered", "already-registered");
        assertThat(JAMES.audit("address=mallory@example.test")).singleElement()
                .satisfies(a -> assertThat(a.path("outcome").asText()).isEqualTo("conflict"));
    }

    /** Notices the route refuses, with the start of its message for each. */
    private static Map<String, String> badNotices() {
        Map<String, String> bad = new LinkedHashMap<>();
        bad.put(notice("<n-x@ca.example>", "AAAAAAAAAAA", "x@example.test", null),
                "'tokenPart1' token-too-short: token-part1 decodes to 8 octets (64 bits); at least 128 bits are required (C4)");
        bad.put(notice("<n-x@ca.example>", token('x'), "x@example.test",
                Instant.now().plus(Duration.ofHours(1)).toString()), "'createdAt' ");
        bad.put(notice("<n-x@ca.example>", token('x'), "not an address", null), "'recipient' \"not an address\"");
        bad.put("{\"messageId\":\"<n-x@ca.example>\",\"createAt\":\"2026-11-28T10:00:00Z\"}",
                "\"createAt\" is not a field of a challenge notice");
        bad.put("[1,2]", "the body must be a JSON object");
        return bad;
    }

    @Test
    void aResponseToAChallengeTheAcmeServerRegistered_isForwarded_withAllThreeKeys() throws Exception {
        String user = "nina@example.test";
        Http registered = register(notice("<n-nina@ca.example>", token('n'), user, null));
        assertThat(registered.status()).as(registered.body()).isEqualTo(201);
        JAMES.sendResponse(user, response(user, token('n'), "<n-nina@ca.example>", "<r-nina@example.test>"),
                "example.test");

        await().atMost(WAIT).until(() -> !JAMES.acme().delivered(user).isEmpty());
        assertThat(JAMES.acme().delivered(user)).hasSize(1);
        assertThat(JAMES.acme().delivered(user).get(0).getBody().clone().readUtf8())
                .contains("Message-ID: <r-nina@example.test>");
        assertThat(JAMES.audit("address=" + user)).anySatisfy(a -> {
            assertThat(a.path("event").asText()).isEqualTo("response-forwarded");
            assertThat(a.path("detail").asText()).contains("challenge <n-nina@ca.example>")
                    .contains("keys [subject-token, in-reply-to, sub-address]");
        });
    }

    @Test
    void b7_aResponseToAChallengeCreated25HoursAgo_isNeverForwarded_andItsAuditRecordSaysExpired() throws Exception {
        String user = "leo@example.test";
        String created = Instant.now().minus(Duration.ofHours(25)).toString();
        Http r = register(notice("<n-leo@ca.example>", token('l'), user, created));
        assertThat(r.status()).as(r.body()).isEqualTo(201);

        JAMES.sendResponse(user, response(user, token('l'), "<n-leo@ca.example>", "<r-leo@example.test>"), "example.test");

        await().atMost(WAIT).until(() -> JAMES.audit("address=" + user).stream()
                .anyMatch(a -> a.path("event").asText().startsWith("response-")));
        assertThat(JAMES.audit("address=" + user)).filteredOn(a -> a.path("event").asText().startsWith("response-"))
                .singleElement().satisfies(a -> {
                    assertThat(a.path("event").asText()).isEqualTo("response-expired");
                    assertThat(a.path("outcome").asText()).isEqualTo("expired");
                    assertThat(a.path("messageId").asText()).isEqualTo("<r-leo@example.test>");
                });
        assertThat(JAMES.acme().requests(user)).isEmpty();
        assertThat(JAMES.outbox(user)).isEmpty();
    }

    @Test
    void d16_aDkimKeyLookupThatFailsTemporarily_isRetried_andForwardedOnceDnsAnswers_neverRejected() throws Exception {
        String user = "mike@example.test";
        Http r = register(notice("<n-mike@ca.example>", token('m'), user, null));
        assertThat(r.status()).as(r.body()).isEqualTo(201);

        JAMES.dns().dns().stop(); // the DKIM key lookup now fails: no answer from the resolver
        try {
            JAMES.sendResponse(user, response(user, token('m'), "<n-mike@ca.example>", "<r-mike@example.test>"),
                    "example.test");
            await().atMost(WAIT).until(() -> JAMES.audit("address=" + user).stream()
                    .anyMatch(a -> a.path("event").asText().equals("response-temperror")));
        } finally {
            JAMES.dns().dns().restart();
        }

        // temperrorDelayMinutes is 1 in this configuration
        await().atMost(Duration.ofMinutes(4)).until(() -> !JAMES.acme().delivered(user).isEmpty());
        assertThat(JAMES.acme().delivered(user)).hasSize(1);
        assertThat(JAMES.acme().delivered(user).get(0).getBody().clone().readUtf8()).contains("Message-ID: <r-mike@example.test>");
        List<JsonNode> responses = JAMES.audit("address=" + user).stream()
                .filter(a -> a.path("event").asText().startsWith("response-")).toList();
        assertThat(responses).extracting(a -> a.path("outcome").asText()).last().isEqualTo("forwarded");
        assertThat(responses).extracting(a -> a.path("outcome").asText()).allMatch(
                o -> o.equals("temperror") || o.equals("forwarded"), "only temperror before forwarded, never a rejection");
        assertThat(responses.get(0).path("detail").asText()).contains("failures [dkim-temperror]");
    }

    private static Http register(String notice) throws Exception {
        return JAMES.webAdmin().post("/acme-smime/challenges", notice);
    }
}
