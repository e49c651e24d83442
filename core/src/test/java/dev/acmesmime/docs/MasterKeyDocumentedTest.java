package dev.acmesmime.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

import org.junit.jupiter.api.Test;

import dev.acmesmime.store.StoreSettings;

/**
 * Issue 17: the docs gave the master key's default as {@code conf/} while the shipped configurations
 * use {@code var/}. Both are true (the code's default when the key is unset; what conf/org and conf/ca
 * set), so every settings table gives the code's default and the operations guide names what each shipped
 * configuration sets.
 */
class MasterKeyDocumentedTest {

    private static final String ROW = "| `" + StoreSettings.MASTER_KEY_FILE + "` |";

    @Test
    void everySettingsTableGivesTheCodesDefault() {
        int rows = 0;
        for (String file : MarkdownDocs.files()) {
            for (String line : MarkdownDocs.read(file).lines().filter(l -> l.startsWith(ROW)).toList()) {
                rows++;
                assertThat(line).as(file).startsWith(ROW + " `" + StoreSettings.DEFAULT_MASTER_KEY_FILE + "` |");
            }
        }
        assertThat(rows).as("tables with store.masterKeyFile").isGreaterThanOrEqualTo(2);
    }

    @Test
    void theOperationsGuideNamesWhatEachShippedConfigurationSets() throws IOException {
        String row = MarkdownDocs.read("docs/operations.md").lines().filter(l -> l.startsWith(ROW)).findFirst().orElseThrow();
        for (String role : List.of("org", "ca", "sample")) {
            Properties shipped = new Properties();
            try (Reader in = Files.newBufferedReader(MarkdownDocs.ROOT.resolve(Path.of("conf", role, "acme-smime.properties")))) {
                shipped.load(in);
            }
            String value = shipped.getProperty(StoreSettings.MASTER_KEY_FILE);
            if (value == null) {
                assertThat(row).as("conf/%s uses the default", role).contains("`conf/" + role + "` keeps the default");
            } else {
                assertThat(row).as("conf/%s sets %s", role, value).contains("`conf/" + role + "`").contains("`" + value + "`");
            }
        }
    }
}
