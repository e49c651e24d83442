package dev.acmesmime.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.acmesmime.testing.FreePorts;
import dev.acmesmime.testing.WebAdminClient.Http;

/**
 * Issue 15: acme4j runs inside a real James 3.8.1 (BouncyCastle jdk15on 1.70 from James's lib/, the
 * plugin bundle loaded parent-first, acme4j's challenge providers found through the bundle). An
 * organisation James from {@code conf/org} with the enrolment on, and the test CA ({@code bin/test-ca},
 * HTTPS with its own root as the profile's trust store): a user created over WebAdmin is picked up by
 * the user scan, and the enrolment creates the ACME account, places the order, reads the
 * {@code email-reply-00} challenge and registers it as pending, visible through WebAdmin.
 */
@Timeout(300) // hang guard only
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OrgEnrolmentProcessTest {

    static final String CAROL = "carol@" + OrgRoleProcess.DOMAIN;
    static final Duration WAIT = Duration.ofSeconds(90);
    static final ObjectMapper JSON = new ObjectMapper();

    OrgRoleProcess.Env env;
    TestCaProcess ca;
    OrgRoleProcess james;

    @BeforeAll
    void start(@TempDir Path work) throws Exception {
        env = OrgRoleProcess.Env.start();
        ca = TestCaProcess.start(Map.of("http.port", Integer.toString(FreePorts.tcp()), "tls", "true",
                "management.port", Integer.toString(FreePorts.tcp()),
                "smtp.port", Integer.toString(env.sink().getServer().getPort())));
        String enrolment = String.join("\n", "enrolment.enabled=true", "enrolment.userScanSeconds=10",
                "enrolment.pollSeconds=1",
                "enrolment.profile.test.directory=" + ca.directory(),
                "enrolment.profile.test.domains=" + OrgRoleProcess.DOMAIN,
                "enrolment.profile.test.trustStore=" + ca.rootPem(),
                "enrolment.profile.test.termsOfServiceAgreed=true");
        james = new OrgRoleProcess(work, env, true, 5, 100, null, enrolment);
    }

    @AfterAll
    void stop() throws Exception {
        try {
            if (james != null) {
                james.close(); // and the env it owns
            } else if (env != null) {
                env.close();
            }
        } finally {
            if (ca != null) {
                ca.close();
            }
        }
    }

    @Test
    void aNewUser_getsAnOrderWhoseChallengeIsRegistered_byAcme4jInsideJames() throws Exception {
        Http user = james.webAdmin().send("PUT", "/users/" + CAROL, "{\"password\":\"carol-secret\"}");
        assertThat(user.status()).as(user.body()).isEqualTo(204);

        Http registered = await().atMost(WAIT).pollInterval(Duration.ofSeconds(1)).until(
                () -> james.webAdmin().get("/acme-smime/pending-challenges/" + CAROL), h -> h.status() == 200);
        JsonNode pending = JSON.readTree(registered.body());
        assertThat(pending).singleElement().satisfies(p -> {
            assertThat(p.path("status").asText()).isEqualTo("pending");
            assertThat(p.path("from").asText()).isEqualTo("acme@ca.example");
            assertThat(p.path("challengeUrl").asText()).startsWith(ca.directory().resolve("/").toString());
        });
        JsonNode status = JSON.readTree(james.webAdmin().getOk("/acme-smime/enrolments?domain=" + OrgRoleProcess.DOMAIN));
        assertThat(status).singleElement().satisfies(e -> {
            assertThat(e.path("mailbox").asText()).isEqualTo(CAROL);
            assertThat(e.path("status").asText()).isEqualTo("pending");
            assertThat(e.path("step").asText()).isEqualTo("challenge-registered");
            assertThat(e.path("profile").asText()).isEqualTo("test");
        });
    }
}
