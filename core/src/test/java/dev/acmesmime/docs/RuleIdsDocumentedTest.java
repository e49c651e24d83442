package dev.acmesmime.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import dev.acmesmime.ca.IssueRule;
import dev.acmesmime.gateway.GatewayCode;
import dev.acmesmime.organisation.DecisionCode;
import dev.acmesmime.rfc8823.FailureCode;

/**
 * Every rule ID that code, tests and manuals cite is explained in {@code docs/rules.md}: a clone of
 * the repository has no other place to look an ID up.
 */
class RuleIdsDocumentedTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Path RULES = ROOT.resolve("docs/rules.md");
    /** An ID in prose ({@code C21}, {@code S0f}, {@code TV3}) or leading a test name ({@code d10_…}). */
    private static final Pattern CITED = Pattern.compile(
            "\\b([ABCDGRX][0-9]{1,2}|S0[a-g]|TV[0-9])\\b|\\b([abcdgrx][0-9]{1,2}|s0[a-g]|tv[0-9])_");
    private static final Pattern ROW = Pattern.compile("(?m)^\\| (\\S+) \\|");
    private static final Set<String> SCANNED = Set.of(".java", ".md", ".xml", ".properties", ".sh");

    @Test
    void everyCitedRuleIdHasARowInRulesMd() throws IOException {
        Set<String> documented = documented();
        Set<String> cited = new TreeSet<>();
        for (String dir : new String[] {"core/src", "matcher/src", "mailet/src", "test-ca/src", "james-deploy/src",
                "benchmarks/src", "conf", "docs"}) {
            try (Stream<Path> files = Files.walk(ROOT.resolve(dir))) {
                files.filter(Files::isRegularFile).filter(RuleIdsDocumentedTest::scanned)
                        .filter(p -> !p.equals(RULES)).forEach(p -> cited.addAll(ids(read(p))));
            }
        }
        cited.addAll(ids(read(ROOT.resolve("README.md"))));

        assertThat(cited).as("rule IDs found in the sources").hasSizeGreaterThan(50);
        assertThat(documented).as("IDs cited but missing from docs/rules.md").containsAll(cited);
    }

    @Test
    void everyFailureCodesRulesAreDocumented() throws IOException {
        Set<String> documented = documented();
        for (FailureCode c : FailureCode.values()) {
            assertThat(documented).as(c.code() + " cites " + c.rules()).containsAll(ids(c.rules()));
        }
        for (GatewayCode c : GatewayCode.values()) {
            assertThat(documented).as(c.code() + " cites " + c.rules()).containsAll(ids(c.rules()));
        }
    }

    @Test
    void theCodeTablesOfRulesMdMatchTheEnums() throws IOException {
        String rules = Files.readString(RULES, StandardCharsets.UTF_8);
        for (FailureCode c : FailureCode.values()) {
            assertThat(rules).as("row of " + c.code()).contains("| `" + c.code() + "` | " + c.rules() + " |");
        }
        for (DecisionCode c : DecisionCode.values()) {
            assertThat(rules).as("row of " + c.code()).contains("| `" + c.code() + "` |");
        }
        for (IssueRule c : IssueRule.values()) {
            assertThat(rules).as("row of " + c.code()).contains("| `" + c.code() + "` |");
        }
    }

    @Test
    void theScannerFindsIdsInProseAndTestNames() {
        assertThat(ids("see (C21) and D7, S0f; void d10_rejects() {} tv3_x A2B")).containsExactly("C21", "D10", "D7",
                "S0f", "TV3");
    }

    private static Set<String> documented() throws IOException {
        Set<String> rows = new TreeSet<>();
        Matcher m = ROW.matcher(Files.readString(RULES, StandardCharsets.UTF_8));
        while (m.find()) {
            rows.add(m.group(1));
        }
        return rows;
    }

    static Set<String> ids(String text) {
        Set<String> ids = new TreeSet<>();
        Matcher m = CITED.matcher(text);
        while (m.find()) {
            String id = m.group(1) != null ? m.group(1) : m.group(2).toUpperCase(Locale.ROOT);
            ids.add(id.startsWith("S0") ? "S0" + id.substring(2).toLowerCase(Locale.ROOT) : id);
        }
        return ids;
    }

    private static boolean scanned(Path p) {
        String name = p.getFileName().toString();
        return !p.toString().contains("/target/") && SCANNED.stream().anyMatch(name::endsWith);
    }

    private static String read(Path p) {
        try {
            return Files.readString(p, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
