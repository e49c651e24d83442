package dev.acmesmime.enrolment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import dev.acmesmime.metrics.MetricNames;
import dev.acmesmime.store.AuditEvent;
import dev.acmesmime.store.AuditRecord;
import dev.acmesmime.store.Enrolment;
import dev.acmesmime.store.EnrolmentStep;
import dev.acmesmime.testca.client.RunningTestCa;

/**
 * The engine against the real test CA on an H2 store: a new mailbox goes from NONE to ISSUED once its
 * challenge mail is answered, and an issued one is renewed when the CA moves its ARI window, naming the
 * certificate it replaces (RFC 9773 §5).
 */
class EnrolmentEngineTest {
    @RegisterExtension
    static final RunningTestCa CA = RunningTestCa.withDefaults();

    @TempDir
    Path home;

    @Test
    void issue15_theEnrolmentOfAnAnsweredChallengeIsTakenUpAtOnce_notAtItsNextCheckAMinuteLater() throws Exception {
        String erin = "erin@example.org";
        try (EngineFixture f = new EngineFixture(CA, home); Enroller enroller = f.enroller()) {
            enroller.known(erin);
            Enrolment waiting = await("erin waiting for her challenge's answer").atMost(Duration.ofSeconds(40))
                    .pollInterval(Duration.ofMillis(100)).until(() -> f.store.enrolments().find(erin).orElseThrow(),
                            e -> e.step() == EnrolmentStep.CHALLENGE_REGISTERED && e.nextAttemptAt().orElseThrow()
                                    .isAfter(Instant.now().plusSeconds(30)));
            assertThat(waiting.nextAttemptAt()).as("the engine's own next look (pollSeconds is 1)")
                    .hasValueSatisfying(t -> assertThat(t).isBefore(Instant.now().plusSeconds(61)));

            f.responder().answer(erin, 0);
            Instant answered = Instant.now();
            await("erin's challenge posted").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                    .until(() -> f.store.enrolments().find(erin).orElseThrow().step(), s -> s == EnrolmentStep.POSTED
                            || s == EnrolmentStep.VALID || s == EnrolmentStep.FINALIZING || s == EnrolmentStep.ISSUED);

            assertThat(Duration.between(answered, Instant.now())).as("woken by the answer").isLessThan(Duration.ofSeconds(20));
            f.awaitStep(erin, EnrolmentStep.ISSUED);
        }
    }

    @Test
    void aNewMailboxIsEnrolledOnceItsChallengeIsAnswered() throws Exception {
        String alice = "alice@example.org";
        try (EngineFixture f = new EngineFixture(CA, home); Enroller enroller = f.enroller()) {
            long before = f.ordersAtTheCa();
            assertThat(enroller.known(alice)).isTrue();
            assertThat(enroller.known(alice)).as("known once").isFalse();
            assertThat(enroller.known("bob@elsewhere.test")).as("no profile covers it").isFalse();

            f.responder().answer(alice, 0);
            Enrolment e = f.awaitStep(alice, EnrolmentStep.ISSUED);

            IssuedCertificate cert = IssuedCertificate.parse(e.certificatePem().orElseThrow());
            X509Certificate leaf = cert.leaf();
            assertThat(leaf.getSubjectAlternativeNames()).containsExactly(List.of(1, alice));
            assertThat(leaf.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.4");
            leaf.verify(cert.chain().get(1).getPublicKey());
            assertThat(KeyCodec.decode(e.privateKey().orElseThrow()).getPublic()).isEqualTo(leaf.getPublicKey());
            assertThat(e.certificateSerial()).contains(cert.serial());
            assertThat(e.ariCertId()).isEqualTo(cert.ariCertId()).isPresent();
            assertThat(e.notAfter()).contains(leaf.getNotAfter().toInstant());
            assertThat(e.nextAttemptAt()).as("renewal scheduled before expiry").hasValueSatisfying(t -> assertThat(t)
                    .isAfter(Instant.now()).isBefore(e.notAfter().orElseThrow()));
            assertThat(e.attempts()).isZero();
            assertThat(e.problemType()).isEmpty();
            assertThat(CA.management().certificateStatus(leaf.getSerialNumber()).path("status").asText())
                    .isEqualTo("valid");
            assertThat(f.ordersAtTheCa() - before).isEqualTo(1);
            assertThat(events(f, alice)).containsExactly("enrolment-issued", "enrolment-challenge-posted",
                    "enrolment-ordered");
            assertThat(f.metrics.counters()).containsEntry(MetricNames.ENROLMENT_ORDERS, 1L)
                    .containsEntry(MetricNames.ENROLMENT_CHALLENGES_POSTED, 1L)
                    .containsEntry(MetricNames.ENROLMENT_ISSUED, 1L);
            assertThat(f.metrics.gauge(MetricNames.ENROLMENT_IN_PROGRESS)).isZero();
        }
    }

    @Test
    void anIssuedCertificateIsRenewedInTheCasMovedWindowAndNamesTheOneItReplaces() {
        String dave = "dave@example.org";
        try (EngineFixture f = new EngineFixture(CA, home); Enroller enroller = f.enroller()) {
            Enrolment first = f.enrolled(enroller, dave);
            assertThat(first.nextAttemptAt().orElseThrow()).as("the default window is days away")
                    .isAfter(Instant.now().plus(Duration.ofMinutes(1)));
            String replaced = first.ariCertId().orElseThrow();

            Instant now = Instant.now();
            assertThat(CA.management().setRenewalInfo(replaced, now.minusSeconds(60), now.plusSeconds(1)))
                    .isEqualTo(200);
            assertThat(enroller.renewDue()).isGreaterThanOrEqualTo(1);
            f.responder().answer(dave, 1);
            Enrolment renewed = await("a renewed certificate").atMost(Duration.ofSeconds(40))
                    .pollInterval(Duration.ofMillis(100)).until(() -> f.store.enrolments().find(dave).orElseThrow(),
                            e -> e.step() == EnrolmentStep.ISSUED && !e.certificateSerial().equals(first.certificateSerial()));

            assertThat(renewed.ariCertId()).isPresent().isNotEqualTo(first.ariCertId());
            assertThat(renewed.replacesCertId()).isEmpty();
            assertThat(events(f, dave)).startsWith("enrolment-renewed", "enrolment-challenge-posted",
                    "enrolment-ordered");
            List<AuditRecord> orders = f.store.audit().latest(dave, Set.of(AuditEvent.ENROLMENT_ORDERED), 10);
            assertThat(orders.get(0).detail()).hasValueSatisfying(d -> assertThat(d).endsWith(" replaces " + replaced));
            assertThat(IssuedCertificate.parse(renewed.certificatePem().orElseThrow()).leaf().getPublicKey())
                    .as("the renewal keeps the key, so mail encrypted to the old certificate stays readable")
                    .isEqualTo(IssuedCertificate.parse(first.certificatePem().orElseThrow()).leaf().getPublicKey());
            assertThat(f.metrics.counters()).containsEntry(MetricNames.ENROLMENT_RENEWED, 1L);
        }
    }

    @Test
    void anOrderThatWentInvalidIsFollowedByANewOrder() {
        String judy = "judy@example.org";
        try (EngineFixture f = new EngineFixture(CA, home); Enroller enroller = f.enroller()) {
            long before = f.ordersAtTheCa();
            enroller.known(judy);
            f.responder().answerWrongly(judy, 0);
            Enrolment dead = await("the dead order noticed").atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(100)).until(() -> f.store.enrolments().find(judy).orElseThrow(),
                            e -> e.problemType().isPresent());
            assertThat(dead.attempts()).isEqualTo(1);

            f.responder().answer(judy, 1);
            Enrolment issued = f.awaitStep(judy, EnrolmentStep.ISSUED);
            assertThat(issued.orderUrl()).isNotEqualTo(dead.orderUrl());
            assertThat(issued.attempts()).isZero();
            assertThat(issued.problemType()).as("cleared by the certificate").isEmpty();
            assertThat(f.ordersAtTheCa() - before).isEqualTo(2);
            assertThat(events(f, judy)).contains("enrolment-failed").first().isEqualTo("enrolment-issued");
        }
    }

    @Test
    void aForgottenUsersCertificateIsRevokedAndItsEnrolmentDeleted() {
        String kate = "kate@example.org";
        try (EngineFixture f = new EngineFixture(CA, home); Enroller enroller = f.enroller()) {
            Enrolment issued = f.enrolled(enroller, kate);
            X509Certificate leaf = IssuedCertificate.parse(issued.certificatePem().orElseThrow()).leaf();

            assertThat(enroller.forget(kate, true)).isTrue();

            assertThat(CA.management().certificateStatus(leaf.getSerialNumber()).path("status").asText())
                    .isEqualTo("revoked");
            assertThat(enroller.status(kate)).isEmpty();
            assertThat(f.store.audit().latest(kate, Set.of(AuditEvent.ENROLMENT_REVOKED), 1)).hasSize(1);
            assertThat(f.metrics.counters()).containsEntry(MetricNames.ENROLMENT_REVOKED, 1L);
            assertThat(enroller.forget(kate, true)).isFalse();
        }
    }

    @Test
    void aWorkerOfTwoThreadsEnrolsSixMailboxes() {
        List<String> boxes = IntStream.range(0, 6).mapToObj(i -> "user" + i + "@example.org").toList();
        try (EngineFixture f = new EngineFixture(CA, home).with(EnrolmentSettings.CONCURRENCY, "2");
             Enroller enroller = f.enroller()) {
            boxes.forEach(enroller::known);
            boxes.forEach(b -> f.responder().answer(b, 0));
            boxes.forEach(b -> f.awaitStep(b, EnrolmentStep.ISSUED));
            assertThat(enroller.counts()).containsEntry(EnrolmentStep.ISSUED, 6L).hasSize(1);
            assertThat(enroller.status(Optional.of("example.org"), Optional.of(EnrolmentStep.ISSUED),
                    Optional.empty(), 10)).extracting(Enrolment::mailbox).containsExactlyElementsOf(boxes);
        }
    }

    static List<String> events(EngineFixture f, String mailbox) {
        Set<AuditEvent> enrolment = Set.of(AuditEvent.ENROLMENT_ORDERED, AuditEvent.ENROLMENT_CHALLENGE_POSTED,
                AuditEvent.ENROLMENT_ISSUED, AuditEvent.ENROLMENT_RENEWED, AuditEvent.ENROLMENT_FAILED);
        return f.store.audit().latest(mailbox, enrolment, 20).stream().map(AuditRecord::event)
                .collect(Collectors.toList());
    }
}
