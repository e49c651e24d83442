package dev.acmesmime.acme;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import dev.acmesmime.testca.client.RunningTestCa;

/**
 * A CA's 429 {@code rateLimited} reaches the engine as the CA's problem with its Retry-After (RFC 8555
 * §6.6), so the engine can obey it.
 */
class AcmeCaClientRateLimitTest {
    @RegisterExtension
    static final RunningTestCa CA = RunningTestCa.withDefaults().with("rateLimit.ordersPerMinute", "1");

    @TempDir
    Path dir;

    @Test
    void theSecondOrderInAMinuteIsRateLimitedWithRetryAfter() {
        AcmeCaClient client = new AcmeCaClient(TestCaProfile.of(CA, dir).profile(), new MemoryAccountKeys());
        client.placeOrder("first@example.org", Optional.empty());
        Instant before = Instant.now();

        assertThatThrownBy(() -> client.placeOrder("second@example.org", Optional.empty()))
                .isInstanceOf(CaException.class)
                .extracting(e -> ((CaException) e).problem())
                .satisfies(p -> assertThat(p.type()).isEqualTo(CaProblem.acmeType("rateLimited")))
                .satisfies(p -> assertThat(p.httpStatus()).isEqualTo(429))
                .satisfies(p -> assertThat(p.retryable()).isTrue())
                .satisfies(p -> assertThat(p.retryAfter()).hasValueSatisfying(t -> assertThat(t)
                        .isAfter(before).isBefore(before.plus(Duration.ofSeconds(62)))));
    }
}
