package dev.acmesmime.enrolment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;

import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import dev.acmesmime.store.AuditEvent;
import dev.acmesmime.store.AuditRecord;
import dev.acmesmime.store.Enrolment;
import dev.acmesmime.store.EnrolmentStep;
import dev.acmesmime.testca.client.RunningTestCa;

/**
 * Without ARI a certificate is renewed at two thirds of its lifetime, on its own (no admin action), and the
 * new certificate arrives before the old one expires. The test CA issues for 45 s (backdated by a minute).
 */
class EnrolmentRenewalWithoutAriTest {
    @RegisterExtension
    static final RunningTestCa CA = RunningTestCa.withDefaults().with("certificate.lifetime", "45s");

    @TempDir
    Path home;

    @Test
    void aShortLivedCertificateIsRenewedAtTwoThirdsBeforeItExpires() {
        String ivan = "ivan@example.org";
        try (EngineFixture f = new EngineFixture(CA, home).with(EnrolmentSettings.RENEWAL_JITTER, "0");
             Enroller enroller = f.enroller(NoAriClient::new)) {
            Enrolment first = f.enrolled(enroller, ivan);
            Instant notBefore = first.notBefore().orElseThrow();
            Duration lifetime = Duration.between(notBefore, first.notAfter().orElseThrow());
            assertThat(Duration.between(notBefore, first.nextAttemptAt().orElseThrow()).toMillis())
                    .isCloseTo(lifetime.toMillis() * 2 / 3, Offset.offset(1000L));

            f.responder().answer(ivan, 1);
            Enrolment renewed = await("the renewal").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                    .until(() -> f.store.enrolments().find(ivan).orElseThrow(), e -> e.step() == EnrolmentStep.ISSUED
                            && !e.certificateSerial().equals(first.certificateSerial()));

            AuditRecord record = f.store.audit().latest(ivan, Set.of(AuditEvent.ENROLMENT_RENEWED), 1).get(0);
            assertThat(record.occurredAt()).as("renewed before the old certificate expired")
                    .isBefore(first.notAfter().orElseThrow());
            assertThat(renewed.notAfter().orElseThrow()).isAfter(first.notAfter().orElseThrow());
            assertThat(f.store.audit().latest(ivan, Set.of(AuditEvent.ENROLMENT_ORDERED), 1).get(0).detail())
                    .hasValueSatisfying(d -> assertThat(d).doesNotContain("replaces"));
        }
    }
}
