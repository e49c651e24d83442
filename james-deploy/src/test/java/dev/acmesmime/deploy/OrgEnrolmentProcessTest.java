package dev.acmesmime.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.subethamail.wiser.WiserMessage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.acmesmime.james.it.OrgJames;
import dev.acmesmime.store.SecretBytes;
import dev.acmesmime.testca.client.CaRoleForwarder;
import dev.acmesmime.testca.client.ChallengeMails;
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
    static final String DAVE = "dave@" + OrgRoleProcess.DOMAIN;
    static final String CA = "acme@ca.test";
    static final Pattern DIGEST = Pattern.compile("-----BEGIN ACME RESPONSE-----\\s*(\\S+)\\s*-----END ACME RESPONSE-----");
    static final Duration WAIT = Duration.ofSeconds(90);
    static final ObjectMapper JSON = new ObjectMapper();

    OrgRoleProcess.Env env;
    TestCaProcess ca;
    OrgRoleProcess james;

    @BeforeAll
    void start(@TempDir Path work) throws Exception {
        env = OrgRoleProcess.Env.start();
        // the challenge mails go to the sink, DKIM-signed as ca.test with the key dnsmasq serves for it
        ca = TestCaProcess.start(Map.of("http.port", Integer.toString(FreePorts.tcp()), "tls", "true",
                "management.port", Integer.toString(FreePorts.tcp()),
                "smtp.port", Integer.toString(env.sink().getServer().getPort()), "challenge.from", CA,
                "smtp.dkim.domain", "ca.test", "smtp.dkim.selector", "ca",
                "smtp.dkim.keyFile", env.caKey().pkcs8().toString()));
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
            assertThat(p.path("from").asText()).isEqualTo(CA);
            assertThat(p.path("challengeUrl").asText()).startsWith(ca.directory().resolve("/").toString());
        });
        JsonNode status = JSON.readTree(james.webAdmin().getOk("/acme-smime/enrolments?domain=" + OrgRoleProcess.DOMAIN));
        assertThat(status).filteredOn(e -> e.path("mailbox").asText().equals(CAROL)).singleElement().satisfies(e -> {
            assertThat(e.path("status").asText()).isEqualTo("pending");
            assertThat(e.path("step").asText()).isEqualTo("challenge-registered");
            assertThat(e.path("profile").asText()).isEqualTo("test");
        });
    }

    /**
     * The whole enrolment: the challenge mail (DKIM-signed as ca.test) reaches the org James over SMTP, its
     * responder answers, the test plays the CA-role James (the response's result POSTed to the test CA), the
     * engine POSTs the challenge, finalizes and downloads: the chain served by WebAdmin passes
     * {@code openssl verify -purpose smimesign} against the test CA's root, with the mailbox as its SAN.
     */
    @Test
    void aNewUser_getsACertificate_throughTheResponderAndTheTestCa() throws Exception {
        Http user = james.webAdmin().send("PUT", "/users/" + DAVE, "{\"password\":\"dave-secret\"}");
        assertThat(user.status()).as(user.body()).isEqualTo(204);
        ChallengeMails mails = new ChallengeMails(env.sink());
        ChallengeMails.Received challenge = await().atMost(WAIT).pollInterval(Duration.ofSeconds(1))
                .until(() -> mails.to(DAVE).isEmpty() ? null : mails.awaitFor(DAVE), c -> c != null);
        OrgJames.send(james.smtpPort, CA, DAVE, mails.to(DAVE).get(0).getData());

        String digest = await().atMost(WAIT).until(() -> responseDigest(challenge.tokenPart1()), d -> d != null);
        CaRoleForwarder.Answer answer = forwarder().post(challenge, digest);
        assertThat(answer.status()).as(answer.body().toString()).isBetween(200, 299);

        await().atMost(WAIT).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> assertThat(
                james.webAdmin().get("/acme-smime/enrolments/" + DAVE + "/certificate").status()).isEqualTo(200));
        String chain = james.webAdmin().getOk("/acme-smime/enrolments/" + DAVE + "/certificate");
        assertThat(chain).doesNotContain("PRIVATE KEY");
        X509Certificate leaf = TrustedHttp.certificates(chain).get(0);
        assertThat(leaf.getSubjectAlternativeNames()).contains(List.of(1, DAVE));
        assertThat(opensslVerify(chain)).contains(": OK");
        JsonNode issued = JSON.readTree(james.webAdmin().getOk("/acme-smime/enrolments?status=issued"));
        assertThat(issued).filteredOn(e -> e.path("mailbox").asText().equals(DAVE)).singleElement()
                .satisfies(e -> assertThat(e.path("expires").asText()).isEqualTo(leaf.getNotAfter().toInstant().toString()));
    }

    /** The digest of the org James's response to the challenge with {@code tokenPart1}, once it reached the sink. */
    private String responseDigest(String tokenPart1) {
        for (WiserMessage m : List.copyOf(env.sink().getMessages())) {
            String text = new String(m.getData(), StandardCharsets.US_ASCII);
            Matcher digest = DIGEST.matcher(text);
            if (m.getEnvelopeReceiver().equalsIgnoreCase(CA) && text.contains(tokenPart1) && digest.find()) {
                return digest.group(1);
            }
        }
        return null;
    }

    /** Plays the CA-role James: the shipped forward key of conf/ca, which the test CA was started with. */
    private CaRoleForwarder forwarder() throws Exception {
        Path keyFile = TestCaProcess.shippedPath("forward.hmacKeyFile");
        String key = Files.readString(keyFile).strip();
        return new CaRoleForwarder(TrustedHttp.trusting(ca.rootPem()), ca.resultUrl(), "ca-james-1",
                SecretBytes.of(key.getBytes(StandardCharsets.US_ASCII)));
    }

    /** {@code openssl verify -purpose smimesign} of the chain's leaf against the test CA's root. */
    private String opensslVerify(String chain) throws Exception {
        Path dir = Files.createTempDirectory("enrolled");
        int end = chain.indexOf("-----END CERTIFICATE-----") + "-----END CERTIFICATE-----".length();
        Files.writeString(dir.resolve("leaf.pem"), chain.substring(0, end) + "\n");
        Files.writeString(dir.resolve("chain.pem"), chain.substring(end).strip() + "\n");
        Process p = new ProcessBuilder("openssl", "verify", "-purpose", "smimesign", "-CAfile", ca.rootPem().toString(),
                "-untrusted", dir.resolve("chain.pem").toString(), dir.resolve("leaf.pem").toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return out;
    }
}
