package dev.acmesmime.acme;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URL;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.shredzone.acme4j.Order;
import org.shredzone.acme4j.Problem;
import org.shredzone.acme4j.Session;
import org.shredzone.acme4j.exception.AcmeException;
import org.shredzone.acme4j.exception.AcmeLazyLoadingException;
import org.shredzone.acme4j.exception.AcmeNetworkException;
import org.shredzone.acme4j.exception.AcmeNotSupportedException;
import org.shredzone.acme4j.exception.AcmeProtocolException;
import org.shredzone.acme4j.exception.AcmeRateLimitedException;
import org.shredzone.acme4j.exception.AcmeServerException;
import org.shredzone.acme4j.toolbox.JSON;

/** Unit tests for {@link AcmeCalls}: each acme4j failure reaches the engine as the right {@link CaProblem}. */
class AcmeCallsTest {
    private static final String RATE_LIMITED = "urn:ietf:params:acme:error:rateLimited";

    private static Problem problem(String json) throws Exception {
        return new Problem(JSON.parse(json), new URL("https://ca.test/acme/order/1"));
    }

    private static CaProblem failing(AcmeCalls.Exchange<Object> exchange) {
        try {
            AcmeCalls.call("step https://ca.test/x", exchange);
        } catch (CaException e) {
            return e.problem();
        }
        throw new AssertionError("no CaException");
    }

    @Test
    void rateLimitedKeepsTheCasTypeStatusAndRetryAfter() throws Exception {
        Instant retryAfter = Instant.parse("2030-01-01T00:00:00Z");
        Problem p = problem("{\"type\":\"" + RATE_LIMITED + "\",\"detail\":\"slow down\",\"status\":429}");

        CaProblem mapped = failing(() -> {
            throw new AcmeRateLimitedException(p, retryAfter, List.of());
        });

        assertThat(mapped).isEqualTo(new CaProblem(RATE_LIMITED, "slow down", 429, Optional.of(retryAfter)));
        assertThat(mapped.retryable()).isTrue();
    }

    @Test
    void aServerProblemWithoutStatusOrDetailKeepsItsTitle() throws Exception {
        Problem p = problem("{\"type\":\"urn:ietf:params:acme:error:rejectedIdentifier\",\"title\":\"not here\"}");

        CaProblem mapped = failing(() -> {
            throw new AcmeServerException(p);
        });

        assertThat(mapped).isEqualTo(new CaProblem("urn:ietf:params:acme:error:rejectedIdentifier", "not here", 0,
                Optional.empty()));
        assertThat(mapped.retryable()).isFalse();
    }

    @Test
    void aServerErrorIsRetryable() throws Exception {
        Problem p = problem("{\"type\":\"urn:ietf:params:acme:error:serverInternal\",\"status\":500}");
        assertThat(failing(() -> {
            throw new AcmeServerException(p);
        }).retryable()).isTrue();
    }

    @Test
    void aNetworkFailureIsARetryableConnectionProblem() {
        CaProblem mapped = failing(() -> {
            throw new AcmeNetworkException(new ConnectException("Connection refused"));
        });

        assertThat(mapped.type()).isEqualTo(CaProblem.CONNECTION);
        assertThat(mapped.detail()).startsWith("step https://ca.test/x: network: ").contains("Connection refused");
        assertThat(mapped.retryable()).isTrue();
    }

    @Test
    void anAnswerThatIsNoAcmeAnswerIsAConnectionProblem() {
        CaProblem mapped = failing(() -> {
            throw new AcmeException("HTTP 502: Bad Gateway", new IOException("upstream"));
        });

        assertThat(mapped.type()).isEqualTo(CaProblem.CONNECTION);
        assertThat(mapped.detail()).contains("HTTP 502: Bad Gateway");
    }

    @Test
    void aMissingFeatureIsNotAvailable() {
        assertThat(failing(() -> {
            throw new AcmeNotSupportedException("renewal-info");
        }).type()).isEqualTo(CaProblem.NOT_AVAILABLE);
    }

    @Test
    void aProtocolBreachIsAProtocolProblem() {
        CaProblem mapped = failing(() -> {
            throw new AcmeProtocolException("status is missing");
        });

        assertThat(mapped.type()).isEqualTo(CaProblem.PROTOCOL);
        assertThat(mapped.retryable()).isFalse();
    }

    @Test
    void aLazyLoadingFailureIsTheCasProblemInside() throws Exception {
        Order order = new Session(URI.create("https://ca.test/dir"))
                .login(new URL("https://ca.test/acct/1"), Keys.account()).bindOrder(new URL("https://ca.test/order/1"));
        Problem p = problem("{\"type\":\"" + RATE_LIMITED + "\",\"status\":429}");

        CaProblem mapped = failing(() -> {
            throw new AcmeLazyLoadingException(order, new AcmeRateLimitedException(p, null, List.of()));
        });

        assertThat(mapped.type()).isEqualTo(RATE_LIMITED);
        assertThat(mapped.retryAfter()).isEmpty();
    }

    @Test
    void aCaExceptionOfTheClientPassesUnchanged() {
        CaException own = new CaException(CaProblem.client(CaProblem.UNSUPPORTED_CHALLENGE, "no email-reply-00"));

        assertThatThrownBy(() -> AcmeCalls.call("step", () -> {
            throw own;
        })).isSameAs(own);
    }
}
