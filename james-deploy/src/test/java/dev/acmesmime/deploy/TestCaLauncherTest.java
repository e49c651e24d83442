package dev.acmesmime.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.acmesmime.testing.FreePorts;

/**
 * Issue 13, "Running it": {@code james-deploy/bin/test-ca --config FILE} on a copy of the shipped
 * {@code conf/test-ca/test-ca.properties} (only the ports and dataDir changed) starts within 15 s and
 * says so in one line, serves its directory over HTTPS with a certificate a client verifies against
 * {@code dataDir/root.pem}, serves the root on its management port, and says it is a test tool; a bad
 * setting stops it with one line naming the key.
 */
@Timeout(120) // hang guard only
class TestCaLauncherTest {

    @Test
    void shippedFileStartsAndServesTheDirectoryOverVerifiedHttps() throws Exception {
        int management = FreePorts.tcp();
        try (TestCaProcess ca = TestCaProcess.start(Map.of("http.port", Integer.toString(FreePorts.tcp()),
                "management.port", Integer.toString(management)))) {
            URI directory = ca.directory();
            assertThat(directory.getScheme()).isEqualTo("https");
            assertThat(ca.rootPem()).isRegularFile();
            assertThat(ca.dataDir.resolve("tls.pem")).isRegularFile();
            assertThat(ca.output().toLowerCase(Locale.ROOT)).containsPattern("test([ -]only| certificate authority)");

            HttpClient https = TrustedHttp.trusting(ca.rootPem());
            HttpResponse<String> dir = https.send(HttpRequest.newBuilder(directory).timeout(Duration.ofSeconds(10))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(dir.statusCode()).as(dir.body()).isEqualTo(200);
            JsonNode json = new ObjectMapper().readTree(dir.body());
            for (String resource : List.of("newNonce", "newAccount", "newOrder", "revokeCert", "keyChange")) {
                assertThat(json.path(resource).asText()).as(resource).startsWith("https://");
            }
            assertThat(json.path("meta").path("externalAccountRequired").asBoolean(true)).isFalse();

            HttpResponse<String> root = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + management + "/roots/0")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(root.statusCode()).isEqualTo(200);
            assertThat(TrustedHttp.certificates(root.body()))
                    .isEqualTo(TrustedHttp.certificates(Files.readString(ca.rootPem())));
        }
    }

    @Test
    void aBadSettingExitsNonZeroWithOneLineNamingTheKey() throws Exception {
        try (TestCaProcess ca = TestCaProcess.launch(Map.of("http.port", "notaport"))) {
            int exit = ca.awaitExit(TestCaProcess.START);

            assertThat(exit).as(ca.output()).isNotZero();
            List<String> lines = ca.output().lines().filter(l -> l.contains("http.port")).toList();
            assertThat(lines).as(ca.output()).hasSize(1);
            assertThat(lines.get(0)).contains("notaport");
            assertThat(ca.output()).as("no stack trace for a setting").doesNotContain("\tat ")
                    .doesNotContain(TestCaProcess.READY);
        }
    }

    @Test
    void missingConfigFileIsAUsageError() throws Exception {
        Process p = new ProcessBuilder(TestCaProcess.LAUNCHER.toString(), "--config", "/nonexistent/test-ca.properties")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());

        assertThat(p.waitFor()).as(out).isNotZero();
        assertThat(out).contains("/nonexistent/test-ca.properties");
    }
}
