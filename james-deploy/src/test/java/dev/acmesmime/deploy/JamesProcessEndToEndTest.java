package dev.acmesmime.deploy;

import static dev.acmesmime.james.it.OrgJames.headerValues;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import dev.acmesmime.james.it.OrgJames;
import dev.acmesmime.testing.ConfFiles;
import dev.acmesmime.testing.FreePorts;
import dev.acmesmime.testing.WebAdminClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real James 3.8.1 in its own JVM, started by {@code bin/james} from the assembled
 * {@code target/james} with a copy of {@code conf/sample} (free loopback ports) and the plugin
 * bundle in {@code HOME/extensions-jars}. Proves that parent-first loading of the bundle works:
 * James loads the jars, builds IsAcmeChallenge and AcmeVerdictHeader by class name, and the
 * mailet's header reaches the mailbox over SMTP in and IMAP out.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JamesProcessEndToEndTest {

    private static final String DOMAIN = "org.example";
    private static final String USER = "alice@" + DOMAIN;
    private static final String PASSWORD = "alice-secret";
    private static final String VERDICT_HEADER = "X-Acme-Smime-Verdict";

    /** An RFC 8823 §3.1 challenge (TV2 token-part1), correct but unsigned. */
    private static final String CHALLENGE = "From: acme-challenge@ca.example\r\n"
            + "To: " + USER + "\r\n"
            + "Subject: ACME: LgYemJLy3F1LDkiJrdIGbEzyFJyOyf6vBdyZ1TG3sME=\r\n"
            + "Date: Sat, 28 Nov 2026 18:00:00 +0000\r\n"
            + "Message-ID: <challenge-e2e@ca.example>\r\n"
            + "Auto-Submitted: auto-generated; type=acme\r\n"
            + "MIME-Version: 1.0\r\n"
            + "Content-Type: text/plain; charset=US-ASCII\r\n"
            + "\r\n"
            + "This is an automatically generated ACME challenge for email address\r\n"
            + "\"" + USER + "\". If you have not requested an S/MIME certificate\r\n"
            + "with this email address, please ignore it.\r\n";

    private static final String ORDINARY = "From: bob@" + DOMAIN + "\r\n"
            + "To: " + USER + "\r\n"
            + "Subject: lunch at noon?\r\n"
            + "Date: Sat, 28 Nov 2026 18:01:00 +0000\r\n"
            + "Message-ID: <ordinary-e2e@org.example>\r\n"
            + "MIME-Version: 1.0\r\n"
            + "Content-Type: text/plain; charset=US-ASCII\r\n"
            + "\r\n"
            + "The usual place.\r\n";

    @TempDir
    static Path work;

    private final Assembly assembly = Assembly.fromBuild();
    private final Path sampleConf = Path.of(System.getProperty("james.sample.conf", "../conf/sample")).toAbsolutePath();

    private Path home;
    private JamesLauncher james;
    private int smtpPort;
    private int imapPort;
    private WebAdminClient webAdmin;
    private Map<String, String> headersByMessageId;

    @BeforeAll
    void startJamesAndDeliver() throws Exception {
        home = work.resolve("home");
        Path conf = work.resolve("conf");
        smtpPort = FreePorts.tcp();
        imapPort = FreePorts.tcp();
        webAdmin = new WebAdminClient(FreePorts.tcp());
        copyConfWithPorts(sampleConf, conf);

        long started = System.nanoTime();
        james = new JamesLauncher(home, work);
        JamesLauncher.Launch launch = james.start(conf, null);
        assertThat(launch.exitCode()).as("bin/james start: %s", launch.output()).isZero();
        System.out.printf("James started by bin/james in %d ms: %s%n",
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), launch.output().trim());

        assertThat(webAdmin.put("/domains/" + DOMAIN, null).status()).isEqualTo(204);
        assertThat(webAdmin.put("/users/" + USER, "{\"password\":\"" + PASSWORD + "\"}").status()).isEqualTo(204);

        send("acme-challenge@ca.example", CHALLENGE);
        send("bob@" + DOMAIN, ORDINARY);

        headersByMessageId = OrgJames.awaitInboxSize(imapPort, USER, PASSWORD, 2);
    }

    @AfterAll
    void stopJames() throws Exception {
        if (james == null) {
            return;
        }
        boolean wasRunning = james.process().filter(ProcessHandle::isAlive).isPresent();
        // a failed stop must not leave a James behind the build: the launcher kills it
        JamesLauncher.Launch stop = james.stop();
        assertThat(stop.exitCode()).as("bin/james stop: %s", stop.output()).isZero();
        if (wasRunning) {
            assertThat(Files.readString(home.resolve("log/james.log"))).contains("JAMES server stopped");
        }
    }

    @Test
    void shouldAddVerdictHeaderWhenChallengeIsDeliveredToLocalUser() {
        // found by its Message-ID: the mailet's saveChanges() must not have replaced it
        assertThat(headersByMessageId).containsKey("<challenge-e2e@ca.example>");
        String headers = headersByMessageId.get("<challenge-e2e@ca.example>");

        assertThat(headerValues(headers, VERDICT_HEADER)).containsExactly("challenge; invalid; dkim-none");
    }

    @Test
    void shouldNotAddVerdictHeaderWhenMailIsOrdinary() {
        assertThat(headersByMessageId).containsKey("<ordinary-e2e@org.example>");
        String headers = headersByMessageId.get("<ordinary-e2e@org.example>");

        assertThat(headers).contains("Subject: lunch at noon?");
        assertThat(headerValues(headers, VERDICT_HEADER)).isEmpty();
    }

    @Test
    void shouldLoadEveryBundleJarFromExtensionsJars() throws IOException {
        String log = Files.readString(home.resolve("log/james.log"));

        assertThat(Assembly.jars(assembly.extensionsJars())).isNotEmpty().allSatisfy(jar ->
                assertThat(log).contains("Loading custom classpath resource "
                        + home.resolve("extensions-jars").resolve(jar.getFileName())));
    }

    @Test
    void shouldRunPluginWithoutMailetErrors() throws IOException {
        String log = Files.readString(home.resolve("log/james.log"));

        assertThat(log)
                .contains("Mailet dev.acmesmime.james.mailets.AcmeVerdictHeader instantiated")
                .contains("Matcher dev.acmesmime.james.matchers.IsAcmeChallenge instantiated")
                .doesNotContain("Encountered error while executing mailet dev.acmesmime")
                .doesNotContain("Exception calling dev.acmesmime");
    }

    /** Issue 17: the sample loads the organisation role's routes, so the docs' calls answer instead of 404. */
    @Test
    void shouldAnswerThePluginsRoutesWithTheirGuard() throws Exception {
        String expires = Instant.now().plus(Duration.ofDays(1)).toString();
        String challenge = "{\"from\":\"acme@ca.example\",\"tokenPart2\":\"DGyRejmCefe7v4NfDGDKfA\","
                + "\"accountThumbprint\":\"LPJNul-wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ\","
                + "\"challengeUrl\":\"https://ca.example/acme/chall/sample\",\"expires\":\"" + expires + "\"}";

        assertThat(webAdmin.put("/acme-smime/pending-challenges/" + USER, challenge).status()).isEqualTo(204);
        assertThat(webAdmin.getOk("/acme-smime/pending-challenges/" + USER)).contains("\"status\":\"pending\"");
        assertThat(webAdmin.getOk("/acme-smime/decisions?mailbox=" + USER)).startsWith("[");
        HttpResponse<String> fromWebPage = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + webAdmin.port() + "/users")).header("Origin", "https://evil.example").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(fromWebPage.statusCode()).as("the cross-origin guard, installed by the routes").isEqualTo(403);
    }

    private void copyConfWithPorts(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path file : files.collect(Collectors.toList())) {
                Files.copy(file, to.resolve(file.getFileName()));
            }
        }
        // the sample's fixed ports would collide with other Jameses on this machine
        ConfFiles.replaceOnce(to.resolve("smtpserver.xml"), "<bind>127.0.0.1:2525</bind>", "<bind>127.0.0.1:" + smtpPort + "</bind>");
        ConfFiles.replaceOnce(to.resolve("imapserver.xml"), "<bind>127.0.0.1:1143</bind>", "<bind>127.0.0.1:" + imapPort + "</bind>");
        ConfFiles.replaceOnce(to.resolve("webadmin.properties"), "\nport=8001\n", "\nport=" + webAdmin.port() + "\n");
    }

    private void send(String from, String message) throws IOException {
        OrgJames.send(smtpPort, from, USER, message.getBytes(StandardCharsets.US_ASCII));
    }
}
