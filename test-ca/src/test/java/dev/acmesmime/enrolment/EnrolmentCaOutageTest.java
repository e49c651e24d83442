package dev.acmesmime.enrolment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import dev.acmesmime.acme.CaProblem;
import dev.acmesmime.metrics.MetricNames;
import dev.acmesmime.store.Enrolment;
import dev.acmesmime.store.EnrolmentStep;
import dev.acmesmime.testca.client.RunningTestCa;

/**
 * The CA cannot be reached for a while after the challenge POST: the mailbox keeps its step and its order,
 * shows the problem and the attempts while it retries with back-off, and completes once the CA answers.
 */
class EnrolmentCaOutageTest {
    @RegisterExtension
    static final RunningTestCa CA = RunningTestCa.withDefaults();

    @TempDir
    Path home;

    @Test
    void retriesWhileTheCaIsUnreachableThenCompletesTheSameOrder() {
        String leo = "leo@example.org";
        try (EngineFixture f = new EngineFixture(CA, home);
             Enroller enroller = f.enroller(c -> new UnreachableForAWhile(c, 3))) {
            long before = f.ordersAtTheCa();
            enroller.known(leo);
            f.responder().answer(leo, 0);
            Enrolment retrying = await("retries visible").atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(50)).until(() -> f.store.enrolments().find(leo).orElseThrow(),
                            e -> e.attempts() >= 2);
            assertThat(retrying.step()).isEqualTo(EnrolmentStep.POSTED);
            assertThat(retrying.problemType()).contains(CaProblem.CONNECTION);
            assertThat(retrying.problemDetail()).hasValueSatisfying(d -> assertThat(d).contains("Connection refused"));

            Enrolment issued = f.awaitStep(leo, EnrolmentStep.ISSUED);
            assertThat(issued.orderUrl()).isEqualTo(retrying.orderUrl());
            assertThat(issued.attempts()).isZero();
            assertThat(f.ordersAtTheCa() - before).isEqualTo(1);
            assertThat(f.metrics.counters()).containsEntry(MetricNames.ENROLMENT_FAILURES + ".ca-unavailable", 3L);
        }
    }
}
