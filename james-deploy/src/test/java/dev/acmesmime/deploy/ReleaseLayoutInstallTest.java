package dev.acmesmime.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.stream.StreamSupport;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.acmesmime.james.it.OrgJames;
import dev.acmesmime.testing.TestKeys;
import dev.acmesmime.testing.WebAdminClient;

/**
 * Issue 17, "Installing into an existing James 3.8.1": the plugin bundle installed into James 3.8.1's
 * memory server as its release archive lays it out ({@link ReleaseLayout}), not into this build's own
 * {@code target/james}, by following {@code docs/guide/install.md} literally: the jars of its table, its
 * {@code mailetcontainer.xml}, {@code mailrepositorystore.xml} and {@code extensions.properties} blocks and
 * its organisation-role routes, read from the page itself ({@link InstallGuide}), so that the page and this
 * test cannot drift. That James, started as the archive's README says, must then load the plugin: its
 * WebAdmin routes answer and a challenge-like mail sent over SMTP is judged by its matcher and mailet.
 */
class ReleaseLayoutInstallTest {

    private static final String MAILBOX = "alice@org.test";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path work;
    private static final Assembly ASSEMBLY = Assembly.fromBuild();
    private static ReleaseLayout layout;
    private static ReleaseJames james;

    @BeforeAll
    static void installAndStart() throws Exception {
        InstallGuide guide = InstallGuide.fromBuild();
        layout = ReleaseLayout.unpack(Path.of(System.getProperty("james.release.zip")), work);
        layout.fillLib(ASSEMBLY.lib(), Path.of(System.getProperty("james.release.lib")));
        layout.prepareForLoopback();
        install(guide);
        organisationDkimKey();
        james = ReleaseJames.start(layout);
    }

    @AfterAll
    static void stop() throws Exception {
        if (james != null) {
            james.close();
            // kept for a failure's diagnosis: the temporary folder goes with the test
            Files.writeString(Path.of("target", "release-layout-james.log"), james.console());
        }
    }

    /** Sections 2 to 4 of the guide, organisation role. */
    private static void install(InstallGuide guide) throws Exception {
        Map<String, Path> bundle = Assembly.byArtifactId(ASSEMBLY.extensionsJars());
        for (String artifactId : guide.bundleJars().keySet()) {
            Files.copy(bundle.get(artifactId), layout.extensionsJars().resolve(bundle.get(artifactId).getFileName()));
        }
        MailetContainerBlocks.add(layout.conf().resolve("mailetcontainer.xml"),
                guide.fencedBlock("xml", "AcmeChallengeResponder"));
        String coreHandlers = "<handler class=\"org.apache.james.smtpserver.CoreCmdHandlerLoader\"/>";
        layout.replace("smtpserver.xml", coreHandlers, guide.fencedBlock("xml", "ExpectedChallengeHook") + coreHandlers);
        layout.replace("mailrepositorystore.xml", "</mailrepositories>",
                guide.fencedBlock("xml", "FileMailRepository") + "</mailrepositories>");
        layout.append("webadmin.properties", "extensions.routes=" + guide.organisationRoutes());
        layout.append("extensions.properties", guide.fencedBlock("properties", "guice.extension.startable"));
        layout.replace("logback.xml", "</configuration>",
                guide.fencedBlock("xml", "<logger name=\"dev.acmesmime\"") + "</configuration>");
        Files.copy(Path.of(System.getProperty("acme-smime.conf.org"), "acme-smime.properties"),
                layout.conf().resolve("acme-smime.properties"));
    }

    /** The organisation's DKIM key where the guide's responder block looks for it ({@code var/dkim}). */
    private static void organisationDkimKey() throws Exception {
        Path keys = Files.createDirectories(layout.root.resolve("var/dkim"));
        TestKeys key = TestKeys.generate(2048, work, "org");
        Files.copy(key.pkcs8(), keys.resolve("acme._domainkey.org.test.pem"));
    }

    @Test
    void shouldNameEveryJarOfTheBundleWithItsVersionInTheGuide() throws Exception {
        Map<String, Optional<String>> named = InstallGuide.fromBuild().bundleJars();
        Map<String, Path> bundle = Assembly.byArtifactId(ASSEMBLY.extensionsJars());

        assertThat(named.keySet()).as("the jars install.md names: all the bundle's, and nothing else")
                .containsExactlyInAnyOrderElementsOf(bundle.keySet());
        named.forEach((artifactId, version) -> version.ifPresent(v -> assertThat(bundle.get(artifactId).getFileName())
                .as("the version install.md gives for " + artifactId).hasToString(artifactId + "-" + v + ".jar")));
    }

    /** install.md §2's rule, checked against the release's own libraries rather than this build's lib/. */
    @Test
    void shouldShipNoJarAndNoClassTheReleaseAlreadyHas() {
        assertThat(Assembly.duplicates(layout.extensionsJars(), layout.lib())).isEmpty();
        assertThat(Assembly.sharedClasses(layout.extensionsJars(), layout.lib())).isEmpty();
    }

    @Test
    void shouldRunTheServerFromTheReleaseLayoutAndLoadThePluginFromExtensionsJars() throws Exception {
        assertThat(Assembly.jars(layout.lib())).hasSameSizeAs(layout.classPath());
        assertThat(layout.root.resolve("lib")).doesNotExist();
        assertThat(james.console()).contains("Loading custom classpath resource")
                .contains("acme-smime-mailet").contains("acme-smime-core");
    }

    @Test
    void shouldAnswerThePluginRoutesNamedByTheGuide() throws Exception {
        WebAdminClient webAdmin = new WebAdminClient(layout.webAdminPort);
        createMailbox(webAdmin);

        assertThat(webAdmin.getOk("/acme-smime/decisions?mailbox=" + MAILBOX)).isEqualTo("[]");
        assertThat(webAdmin.get("/acme-smime/enrolments").status()).as("EnrolmentRoutes").isEqualTo(200);
    }

    @Test
    void shouldJudgeAChallengeMailWithThePluginsMatcherAndMailet() throws Exception {
        WebAdminClient webAdmin = new WebAdminClient(layout.webAdminPort);
        createMailbox(webAdmin);
        String messageId = "<release-layout-" + System.nanoTime() + "@ca.test>";

        OrgJames.send(layout.smtpPort, "acme@ca.test", MAILBOX, unsignedChallenge(messageId));

        // not DKIM-signed: the responder must ignore it, and say so in its audit record
        JsonNode decision = Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
                .alias("a decision on " + messageId)
                .until(() -> decision(webAdmin, messageId), d -> !d.isMissingNode());
        assertThat(decision.path("decision").asText()).isEqualTo("ignored");
        assertThat(decision.path("codes")).extracting(JsonNode::asText).contains("dkim-none");
    }

    private static JsonNode decision(WebAdminClient webAdmin, String messageId) throws Exception {
        JsonNode all = JSON.readTree(webAdmin.getOk("/acme-smime/decisions?mailbox=" + MAILBOX));
        return StreamSupport.stream(all.spliterator(), false)
                .filter(d -> d.path("challengeMessageId").asText().replaceAll("[<>]", "")
                        .equals(messageId.replaceAll("[<>]", "")))
                .findFirst().orElse(JSON.missingNode());
    }

    /** Domain and user through James's own WebAdmin routes; idempotent. */
    private static void createMailbox(WebAdminClient webAdmin) throws Exception {
        assertThat(webAdmin.put("/domains/org.test", null).status()).isEqualTo(204);
        int user = webAdmin.put("/users/" + MAILBOX, "{\"password\":\"release-layout\"}").status();
        assertThat(user).isIn(204, 409);
    }

    /** RFC 8823 §3's shape of a challenge, without a DKIM signature. */
    private static byte[] unsignedChallenge(String messageId) {
        return ("From: acme@ca.test\r\n"
                + "To: " + MAILBOX + "\r\n"
                + "Subject: ACME: LgYemJLy3F1LDkiJrdIGbEzyFJyOyf6vBdyZ1TG3sME\r\n"
                + "Date: Thu, 1 Jan 2026 00:00:00 +0000\r\n"
                + "Message-ID: " + messageId + "\r\n"
                + "Auto-Submitted: auto-generated; type=acme\r\n"
                + "Content-Type: text/plain\r\n"
                + "\r\n"
                + "This is an ACME challenge.\r\n").getBytes(StandardCharsets.US_ASCII);
    }
}
