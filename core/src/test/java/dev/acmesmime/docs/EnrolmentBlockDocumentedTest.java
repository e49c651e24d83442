package dev.acmesmime.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.acmesmime.acme.CaProfiles;
import dev.acmesmime.enrolment.EnrolmentSettings;

/**
 * The README's enrolment block (issue 15) is what an admin pastes into {@code conf/org/acme-smime.properties}:
 * it must parse as the plugin parses it at James's start-up, and each of its keys must be in the README's
 * settings table, so neither rots when a setting changes.
 */
class EnrolmentBlockDocumentedTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final String MARKER = "<!-- enrolment-block: parsed by EnrolmentBlockDocumentedTest -->";

    @Test
    void theReadmesEnrolmentBlockParses_andEveryKeyIsInItsTable(@TempDir Path dir) throws IOException {
        String readme = Files.readString(ROOT.resolve("README.md"), StandardCharsets.UTF_8);
        int at = readme.indexOf(MARKER);
        assertThat(at).as("the marked block in README.md").isPositive();
        int start = readme.indexOf("```properties\n", at) + "```properties\n".length();
        String block = readme.substring(start, readme.indexOf("```", start));
        Properties settings = new Properties();
        settings.load(new StringReader(block));
        // the files the block names, where they would be relative to conf/org
        Path conf = Files.createDirectories(dir.resolve("conf/org"));
        for (String file : new String[] {settings.getProperty("enrolment.profile.test.trustStore"),
            settings.getProperty("enrolment.profile.test.eab.hmacKeyFile")}) {
            Path p = conf.resolve(file).normalize();
            Files.createDirectories(p.getParent());
            Files.writeString(p, "placeholder");
        }

        EnrolmentSettings parsed = EnrolmentSettings.parse(settings, conf);

        assertThat(parsed.enabled()).isTrue();
        assertThat(parsed.profiles().named("test")).isPresent();
        String table = readme.substring(readme.indexOf("| setting | default | meaning |", at));
        for (String key : settings.stringPropertyNames()) {
            String shown = key.startsWith(CaProfiles.PREFIX)
                    ? key.substring(key.indexOf('.', CaProfiles.PREFIX.length())) + "`" : "`" + key + "`";
            assertThat(table).as("README's table names " + key).contains(shown);
        }
    }
}
