package dev.acmesmime.deploy;

import static dev.acmesmime.deploy.CaJames.WAIT;
import static dev.acmesmime.deploy.CaMails.DIGEST;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import okhttp3.mockwebserver.RecordedRequest;

/**
 * A CA's James forwarding with {@code forward.contract=raw}: the message as received, with a bearer
 * token and the envelope; an ACME server that refuses connections gets the result once it is back.
 */
class CaRawBridgeTest {

    @RegisterExtension
    static final CaJames JAMES = CaJames.shared("raw");

    @Test
    void theRawBridge_carriesTheMessageAsReceived_withBearerAndEnvelope() throws Exception {
        RecordedRequest req = JAMES.roundTrip("ivan@example.test");
        assertThat(req.getHeader("Authorization")).isEqualTo("Bearer " + JAMES.secret());
        assertThat(req.getHeader("X-Envelope-From")).isEqualTo("ivan@example.test");
        assertThat(req.getHeader("X-Remote-Address")).isEqualTo("127.0.0.1");
        String raw = req.getBody().clone().readUtf8();
        assertThat(raw).contains("Message-ID: <r-ivan@ca.example>").contains("DKIM-Signature:").contains(DIGEST);
    }

    @Test
    void refusedConnections_thenTheServerComesBack_deliversTheResultOnce() throws Exception {
        int port = JAMES.acme().port();
        JAMES.acme().close();
        String user = "judy@example.test";
        try {
            JAMES.sendResponse(user, JAMES.challenge(user, 'j').response("<r-judy@ca.example>"), "example.test");
            // the first attempt may hit a pooled connection the old server closed; later ones are refused
            await().atMost(WAIT).until(() -> JAMES.audit("address=" + user).stream()
                    .anyMatch(a -> a.path("outcome").asText().equals("io-error")
                            && a.path("detail").asText().contains("ConnectException")));
            assertThat(JAMES.outbox(user)).singleElement().satisfies(i -> assertThat(i.path("lastError").asText())
                    .contains("sending to http://127.0.0.1:" + port));
        } finally {
            JAMES.acme().start(port);
        }
        await().atMost(WAIT).until(() -> !JAMES.acme().delivered(user).isEmpty());
        await().atMost(WAIT).until(() -> JAMES.outbox(user).isEmpty());
        assertThat(JAMES.acme().delivered(user)).hasSize(1);
        assertThat(JAMES.acme().delivered(user).get(0).getBody().clone().readUtf8()).contains("Message-ID: <r-judy@ca.example>");
    }

    @Test
    void theOutboxRetryRoute_answers404ForAnUnknownItem_and400ForABadId() throws Exception {
        assertThat(JAMES.webAdmin().post("/acme-smime/outbox/999999/retry", null).status()).isEqualTo(404);
        assertThat(JAMES.webAdmin().post("/acme-smime/outbox/abc/retry", null).status()).isEqualTo(400);
    }
}
