package dev.acmesmime.enrolment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import dev.acmesmime.acme.CaProblem;
import dev.acmesmime.store.Enrolment;
import dev.acmesmime.store.EnrolmentStep;
import dev.acmesmime.testca.client.RunningTestCa;

/**
 * A CA's 429 {@code rateLimited} is obeyed: the mailbox waits at its step until the Retry-After, although the
 * engine's own back-off (1 s here) would have asked again many times meanwhile.
 */
class EnrolmentRateLimitTest {
    @RegisterExtension
    static final RunningTestCa CA = RunningTestCa.withDefaults().with("rateLimit.ordersPerMinute", "1");

    @TempDir
    Path home;

    @Test
    void theSecondOrderWaitsForTheCasRetryAfter() throws InterruptedException {
        List<String> boxes = List.of("gina@example.org", "hank@example.org");
        try (EngineFixture f = new EngineFixture(CA, home); Enroller enroller = f.enroller()) {
            long before = f.ordersAtTheCa();
            Instant start = Instant.now();
            boxes.forEach(enroller::known);
            Enrolment limited = await("a rate-limited mailbox").atMost(Duration.ofSeconds(20))
                    .pollInterval(Duration.ofMillis(100)).until(() -> boxes.stream()
                            .map(b -> f.store.enrolments().find(b).orElseThrow())
                            .filter(e -> e.problemType().isPresent()).findFirst(), o -> o.isPresent()).orElseThrow();

            assertThat(limited.problemType()).contains(CaProblem.acmeType("rateLimited"));
            assertThat(limited.step()).as("the same step, tried again later").isEqualTo(EnrolmentStep.KEY_READY);
            assertThat(limited.nextAttemptAt()).hasValueSatisfying(t -> assertThat(t)
                    .isAfter(start.plusSeconds(5)).isBefore(start.plusSeconds(65)));
            Thread.sleep(4000);
            Enrolment later = f.store.enrolments().find(limited.mailbox()).orElseThrow();
            assertThat(later.attempts()).as("not asked again before the Retry-After").isEqualTo(1);
            assertThat(f.ordersAtTheCa() - before).isEqualTo(1);
        }
    }
}
