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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import dev.acmesmime.james.it.OrgJames;
import dev.acmesmime.testing.FreePorts;
import org.apache.commons.net.smtp.SMTPClient;
import org.apache.commons.net.smtp.SMTPReply;
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
    private static final Duration START_TIMEOUT = Duration.ofMinutes(3);

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
    private final Path launcher = Path.of(System.getProperty("james.launcher", "bin/james")).toAbsolutePath();
    private final Path sampleConf = Path.of(System.getProperty("james.sample.conf", "../conf/sample")).toAbsolutePath();

    private Path home;
    private int smtpPort;
    private int imapPort;
    private int webAdminPort;
    private Map<String, String> headersByMessageId;

    @BeforeAll
    void startJamesAndDeliver() throws Exception {
        home = work.resolve("home");
        Path conf = work.resolve("conf");
        smtpPort = FreePorts.tcp();
        imapPort = FreePorts.tcp();
        webAdminPort = FreePorts.tcp();
        copyConfWithPorts(sampleConf, conf);

        long started = System.nanoTime();
        Launch launch = launcher("start", "--conf", conf.toString(), "--home", home.toString(),
                "--timeout", String.valueOf(START_TIMEOUT.toSeconds()));
        assertThat(launch.exitCode).as("bin/james start: %s", launch.output).isZero();
        System.out.printf("James started by bin/james in %d ms: %s%n",
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), launch.output.trim());

        assertThat(webAdminPut("/domains/" + DOMAIN, null)).isEqualTo(204);
        assertThat(webAdminPut("/users/" + USER, "{\"password\":\"" + PASSWORD + "\"}")).isEqualTo(204);

        send("acme-challenge@ca.example", CHALLENGE);
        send("bob@" + DOMAIN, ORDINARY);

        headersByMessageId = OrgJames.awaitInboxSize(imapPort, USER, PASSWORD, 2);
    }

    @AfterAll
    void stopJames() throws Exception {
        if (home == null) {
            return;
        }
        Optional<ProcessHandle> james = jamesProcess().filter(ProcessHandle::isAlive);
        Launch stop = launcher("stop", "--home", home.toString(), "--timeout", "60");
        // a failed stop must not leave a James behind the build
        james.filter(ProcessHandle::isAlive).ifPresent(ProcessHandle::destroyForcibly);
        assertThat(stop.exitCode).as("bin/james stop: %s", stop.output).isZero();
        if (james.isPresent()) {
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

    private void copyConfWithPorts(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path file : files.collect(Collectors.toList())) {
                Files.copy(file, to.resolve(file.getFileName()));
            }
        }
        // the sample's fixed ports would collide with other Jameses on this machine
        replaceOnce(to.resolve("smtpserver.xml"), "<bind>127.0.0.1:2525</bind>", "<bind>127.0.0.1:" + smtpPort + "</bind>");
        replaceOnce(to.resolve("imapserver.xml"), "<bind>127.0.0.1:1143</bind>", "<bind>127.0.0.1:" + imapPort + "</bind>");
        replaceOnce(to.resolve("webadmin.properties"), "\nport=8001\n", "\nport=" + webAdminPort + "\n");
    }

    private static void replaceOnce(Path file, String from, String to) throws IOException {
        String text = Files.readString(file);
        int at = text.indexOf(from);
        if (at < 0 || text.indexOf(from, at + 1) >= 0) {
            throw new IllegalStateException(file + " must contain " + from.trim() + " exactly once; did conf/sample change?");
        }
        Files.writeString(file, text.replace(from, to));
    }

    private int webAdminPut(String path, String json) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + webAdminPort + path));
        if (json == null) {
            request.PUT(HttpRequest.BodyPublishers.noBody());
        } else {
            // WebAdmin answers 400 "No content to map" without the content type
            request.header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(json));
        }
        HttpResponse<String> response = HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
        return response.statusCode();
    }

    private void send(String from, String message) throws IOException {
        SMTPClient smtp = new SMTPClient(StandardCharsets.US_ASCII.name());
        smtp.connect("127.0.0.1", smtpPort);
        try {
            assertThat(SMTPReply.isPositiveCompletion(smtp.getReplyCode())).as(smtp.getReplyString()).isTrue();
            assertThat(smtp.login("client.example")).as(smtp.getReplyString()).isTrue();
            assertThat(smtp.sendSimpleMessage(from, USER, message)).as(smtp.getReplyString()).isTrue();
            smtp.logout();
        } finally {
            smtp.disconnect();
        }
    }

    private Optional<ProcessHandle> jamesProcess() {
        try {
            return ProcessHandle.of(Long.parseLong(Files.readString(home.resolve("james.pid")).trim()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    private Launch launcher(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(launcher.toString());
        command.addAll(List.of(args));
        Path output = Files.createTempFile(work, "launcher", ".out");
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(output.toFile());
        builder.environment().put("JAMES_JAVA_OPTS", "-Xmx256m -XX:+UseSerialGC");
        Process process = builder.start();
        if (!process.waitFor(START_TIMEOUT.toSeconds() + 30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        return new Launch(process.isAlive() ? -1 : process.exitValue(), Files.readString(output));
    }

    private record Launch(int exitCode, String output) {
    }
}
