package dev.acmesmime.enrolment;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import dev.acmesmime.acme.CaProblem;
import dev.acmesmime.acme.CaProfiles;
import dev.acmesmime.metrics.MetricNames;
import dev.acmesmime.store.Enrolment;
import dev.acmesmime.store.EnrolmentStep;
import dev.acmesmime.testca.client.RunningTestCa;

/**
 * A CA that requires External Account Binding (RFC 8555 §7.3.4): the right key enrols, a wrong one leaves
 * the mailbox FAILED with the CA's problem type and detail visible, retried later with back-off.
 */
class EnrolmentEabTest {
    private static final String KID = "kid-1";
    private static final String MAC_KEY = Base64.getUrlEncoder().withoutPadding()
            .encodeToString(new SecureRandom().generateSeed(32));

    @RegisterExtension
    static final RunningTestCa CA = RunningTestCa.withDefaults().with("eab", "required")
            .with("eab.key." + KID, MAC_KEY);

    @TempDir
    Path home;

    @Test
    void theRightKeyEnrols() throws IOException {
        String erin = "erin@example.org";
        try (EngineFixture f = eab(MAC_KEY); Enroller enroller = f.enroller()) {
            assertThat(f.enrolled(enroller, erin).certificatePem()).isPresent();
        }
    }

    @Test
    void aWrongKeyFailsWithTheCasProblemVisible() throws IOException {
        String frank = "frank@example.org";
        String wrong = Base64.getUrlEncoder().withoutPadding().encodeToString(new SecureRandom().generateSeed(32));
        try (EngineFixture f = eab(wrong); Enroller enroller = f.enroller()) {
            enroller.known(frank);
            Enrolment failed = f.awaitStep(frank, EnrolmentStep.FAILED);
            assertThat(failed.problemType()).contains(CaProblem.acmeType("unauthorized"));
            assertThat(failed.problemDetail()).hasValueSatisfying(d -> assertThat(d).isNotBlank());
            assertThat(failed.attempts()).isGreaterThanOrEqualTo(1);
            assertThat(failed.nextAttemptAt()).as("tried again after back-off")
                    .hasValueSatisfying(t -> assertThat(t).isAfter(Instant.now().minusSeconds(5)));
            assertThat(failed.orderUrl()).as("no order without an account").isEmpty();
            assertThat(EnrolmentEngineTest.events(f, frank)).first().isEqualTo("enrolment-failed");
            assertThat(f.metrics.counters()).containsKey(MetricNames.ENROLMENT_FAILURES + ".ca-refused");
            assertThat(failed.toString()).doesNotContain(wrong);
        }
    }

    private EngineFixture eab(String key) throws IOException {
        Files.writeString(home.resolve("eab.key"), key + "\n");
        return new EngineFixture(CA, home).with(EngineFixture.PROFILE_PREFIX + CaProfiles.EAB_KID, KID)
                .with(EngineFixture.PROFILE_PREFIX + CaProfiles.EAB_HMAC_KEY_FILE, "eab.key");
    }
}
