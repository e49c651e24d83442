package dev.acmesmime.testca.negative;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.acmesmime.rfc8823.JwkThumbprint;
import dev.acmesmime.rfc8823.KeyAuthorization;
import dev.acmesmime.testing.TempDirs;

/**
 * Any RFC 8555 client must work, not just acme4j: Debian's {@code python3-acme} (certbot's library) enrols an
 * email address against the test CA ({@code src/test/python/acme_email_client.py}), and the chain it downloads
 * passes {@code openssl verify -purpose smimesign} against {@code root.pem}.
 * <p>
 * Without the library the test is skipped, except under {@code CI=true} where it fails: {@code .ci/run} installs
 * {@code python3-acme}.
 */
class PythonAcmeClientTest {
    private static final String PYTHON = "/usr/bin/python3";
    private static final Path SCRIPT = Path.of("src/test/python/acme_email_client.py");
    private static final ObjectMapper JSON = new ObjectMapper();

    private TestCaHarness ca;
    private Path work;

    @BeforeAll
    static void pythonAcmeIsThere() throws Exception {
        Process probe = new ProcessBuilder(PYTHON, "-c", "import acme, josepy, cryptography, OpenSSL")
                .redirectErrorStream(true).start();
        String output = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        boolean present = probe.waitFor(30, TimeUnit.SECONDS) && probe.exitValue() == 0;
        if (!present && "true".equals(System.getenv("CI"))) {
            fail(PYTHON + " lacks python3-acme (CI=true, .ci/run installs it): " + output);
        }
        Assumptions.assumeTrue(present, PYTHON + " lacks python3-acme (apt-get install python3-acme): " + output);
    }

    @BeforeEach
    void start() throws IOException {
        ca = TestCaHarness.start();
        work = Files.createTempDirectory("python-acme");
    }

    @AfterEach
    void stop() throws IOException {
        ca.close();
        TempDirs.delete(work);
    }

    @Test
    void pythonAcmeEnrolsAnEmailAddress() throws Exception {
        String address = "python-acme@org.test";
        Path chain = work.resolve("chain.pem");
        Path log = work.resolve("client.log");
        Process client = new ProcessBuilder(PYTHON, SCRIPT.toString(), "--directory", ca.ca().directory().toString(),
                "--email", address, "--out", chain.toString()).redirectError(log.toFile()).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(client.getInputStream(),
                StandardCharsets.UTF_8)); Writer in = new OutputStreamWriter(client.getOutputStream(),
                StandardCharsets.UTF_8)) {
            JsonNode challenge = firstLine(out, client, log);
            assertThat(challenge.path("from").asText()).isEqualTo("acme-challenge@ca.test");
            String thumbprint = challenge.path("thumbprint").asText();
            assertThat(JwkThumbprint.ofJwk(challenge.path("jwk").toString()))
                    .as("core and josepy agree on the RFC 7638 thumbprint").isEqualTo(thumbprint);

            ChallengeMailSeen mail = ca.challengeMailTo(address);
            ResultPoster.Answer answer = ca.results().post(mail,
                    KeyAuthorization.digest(mail.tokenPart1(), challenge.path("token").asText(), thumbprint));
            assertThat(answer.outcome()).as(answer.toString()).isEqualTo("waiting-for-post");
            in.write("go\n");
            in.flush();

            assertThat(client.waitFor(120, TimeUnit.SECONDS)).as("python-acme finished").isTrue();
            assertThat(client.exitValue()).as(Files.readString(log)).isZero();
            assertThat(JSON.readTree(out.readLine()).path("status").asText()).isEqualTo("valid");
        } finally {
            client.destroyForcibly();
        }
        assertSmimeChain(chain);
    }

    private static JsonNode firstLine(BufferedReader out, Process client, Path log) throws IOException {
        String line = out.readLine();
        if (line == null) {
            fail("python-acme stopped before the challenge (exit " + client.onExit().join().exitValue() + "): "
                    + Files.readString(log));
        }
        return JSON.readTree(line);
    }

    /** The leaf alone, then {@code openssl verify -purpose smimesign} with the intermediate untrusted. */
    private void assertSmimeChain(Path chain) throws Exception {
        String pem = Files.readString(chain);
        int second = pem.indexOf("-----BEGIN CERTIFICATE-----", 1);
        assertThat(second).as("leaf and intermediate: " + pem).isPositive();
        Path leaf = Files.writeString(work.resolve("leaf.pem"), pem.substring(0, second));
        Process verify = new ProcessBuilder(List.of("openssl", "verify", "-purpose", "smimesign", "-CAfile",
                ca.ca().rootPem().toString(), "-untrusted", chain.toString(), leaf.toString()))
                .redirectErrorStream(true).start();
        String output = new String(verify.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(verify.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(verify.exitValue()).as(output).isZero();
        assertThat(output).contains(": OK");
    }
}
