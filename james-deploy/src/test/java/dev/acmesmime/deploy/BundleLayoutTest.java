package dev.acmesmime.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.zip.ZipFile;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The assembled layout: what James runs (lib/, classpath.txt) and the plugin bundle
 * (extensions-jars/). James loads extension jars parent-first, so a jar in the bundle that James
 * already has would be dead weight at best and a second, shadowed version at worst: the bundle
 * must hold only our jars and what James lacks.
 */
class BundleLayoutTest {

    private final Assembly assembly = Assembly.fromBuild();

    @Test
    void shouldNotShipAnyJarJamesAlreadyHas() {
        assertThat(Assembly.duplicates(assembly.extensionsJars(), assembly.lib())).isEmpty();
    }

    @Test
    void shouldReportDuplicateWhenBundleHoldsAnotherVersionOfAServerJar(@TempDir Path bundle) throws Exception {
        Path guava = Assembly.jars(assembly.lib()).stream()
                .filter(p -> p.getFileName().toString().startsWith("guava-"))
                .findFirst().orElseThrow();
        Files.copy(guava, bundle.resolve("guava-99.0-jre.jar"));

        assertThat(Assembly.duplicates(bundle, assembly.lib()))
                .containsExactly("guava-99.0-jre.jar duplicates lib/" + guava.getFileName());
    }

    @Test
    void shouldNotShipAnyClassJamesAlreadyHas() {
        assertThat(Assembly.sharedClasses(assembly.extensionsJars(), assembly.lib())).isEmpty();
    }

    @Test
    void shouldReportSharedClassesWhenBundleHoldsACopyUnderAnotherArtifactId(@TempDir Path bundle) throws Exception {
        Path bcprov = Assembly.jars(assembly.lib()).stream()
                .filter(p -> p.getFileName().toString().startsWith("bcprov-jdk15on-"))
                .findFirst().orElseThrow();
        Files.copy(bcprov, bundle.resolve("bcprov-jdk18on-1.77.jar"));

        assertThat(Assembly.duplicates(bundle, assembly.lib())).isEmpty();
        assertThat(Assembly.sharedClasses(bundle, assembly.lib()))
                .singleElement().asString()
                .startsWith("bcprov-jdk18on-1.77.jar shares ")
                .contains("classes with lib/" + bcprov.getFileName());
    }

    @Test
    void shouldRecogniseArtifactIdsOfServerJars() {
        assertThat(Assembly.byArtifactId(assembly.lib()).keySet())
                .contains("james-server-memory-app", "apache-mailet-api", "javax.mail", "bcprov-jdk15on",
                        "apache-mime4j-core", "apache-jdkim-library", "guava", "jackson-databind", "jjwt-impl");
    }

    @Test
    void shouldShipThePluginJarsInBundle() {
        assertThat(Assembly.byArtifactId(assembly.extensionsJars()).keySet())
                .contains("acme-smime-core", "acme-smime-matcher", "acme-smime-mailet");
    }

    /**
     * The enrolment's ACME client (issue 15): James 3.8.1 has neither acme4j nor jose4j, so the bundle
     * ships both; acme4j's own BouncyCastle (jdk18on) must not come along, James's jdk15on 1.70 serves it.
     */
    @Test
    void shouldShipAcme4jAndJose4jButNoJdk18onBouncyCastle() {
        assertThat(Assembly.byArtifactId(assembly.extensionsJars()).keySet())
                .contains("acme4j-client", "jose4j")
                .noneMatch(id -> id.startsWith("bc") && id.endsWith("-jdk18on"));
    }

    /** acme4j finds the email-reply-00 challenge through ServiceLoader: the core jar's service entry must survive. */
    @Test
    void shouldKeepTheEmailReply00ChallengeProviderServiceEntry() throws Exception {
        Path core = Assembly.byArtifactId(assembly.extensionsJars()).get("acme-smime-core");
        try (ZipFile jar = new ZipFile(core.toFile())) {
            var entry = jar.getEntry("META-INF/services/org.shredzone.acme4j.provider.ChallengeProvider");
            assertThat(entry).as("service entry in %s", core.getFileName()).isNotNull();
            assertThat(new String(jar.getInputStream(entry).readAllBytes(), StandardCharsets.UTF_8))
                    .contains("dev.acmesmime.acme.EmailReply00ChallengeProvider");
        }
    }

    @Test
    void shouldListEveryServerJarExactlyOnceInClasspathFile() throws Exception {
        List<String> entries = Arrays.asList(Files.readString(assembly.root.resolve("classpath.txt")).trim().split(":"));
        List<String> libJars = Assembly.jars(assembly.lib()).stream()
                .map(p -> "lib/" + p.getFileName())
                .collect(Collectors.toList());

        assertThat(entries).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(libJars);
    }

    @Test
    void shouldPutTheServerMainClassOnTheClasspath() {
        assertThat(Assembly.jars(assembly.lib()))
                .anySatisfy(p -> assertThat(p.getFileName().toString()).startsWith("james-server-memory-app-3.8.1"));
    }
}
