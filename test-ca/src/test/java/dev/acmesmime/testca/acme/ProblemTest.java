package dev.acmesmime.testca.acme;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Unit tests for {@link Problem}: RFC 7807 documents with ACME types. */
class ProblemTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void rendersTypeDetailAndStatus() throws Exception {
        JsonNode n = JSON.readTree(Problem.of(ProblemType.BAD_NONCE, "used before").json());
        assertThat(n.path("type").asText()).isEqualTo("urn:ietf:params:acme:error:badNonce");
        assertThat(n.path("detail").asText()).isEqualTo("used before");
        assertThat(n.path("status").asInt()).isEqualTo(400);
    }

    @Test
    void statusesFollowPebble() {
        assertThat(Problem.of(ProblemType.UNAUTHORIZED, "x").status()).isEqualTo(403);
        assertThat(Problem.of(ProblemType.ORDER_NOT_READY, "x").status()).isEqualTo(403);
        assertThat(Problem.of(ProblemType.NOT_FOUND, "x").status()).isEqualTo(404);
        assertThat(Problem.of(ProblemType.NOT_FOUND, "x").type().uri()).isEqualTo("urn:ietf:params:acme:error:malformed");
        assertThat(Problem.of(ProblemType.UNSUPPORTED_MEDIA_TYPE, "x").status()).isEqualTo(415);
        assertThat(Problem.of(ProblemType.SERVER_INTERNAL, "x").status()).isEqualTo(500);
    }

    @Test
    void aDetailStaysOneLineWhateverAClientSent() throws Exception {
        JsonNode n = JSON.readTree(Problem.of(ProblemType.MALFORMED, "a\r\nInjected: yes\tz").json());
        assertThat(n.path("detail").asText()).isEqualTo("a Injected: yes z");
    }

    @Test
    void rateLimitedCarriesItsRetryAfter() {
        Problem p = Problem.rateLimited("slow down", Duration.ofSeconds(30));
        assertThat(p.status()).isEqualTo(429);
        assertThat(p.type().uri()).isEqualTo("urn:ietf:params:acme:error:rateLimited");
        assertThat(p.retryAfter()).contains(Duration.ofSeconds(30));
    }
}
