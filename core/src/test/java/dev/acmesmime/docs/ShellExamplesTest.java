package dev.acmesmime.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * Issue 17, "examples that rot" and "fails on a fresh machine": every {@code ```sh} example of the
 * README, docs/ and the conf READMEs must work when pasted, later too. So each parses ({@code bash -n}),
 * none holds a fixed date (a pending challenge's {@code expires} that has passed is refused: dates are
 * computed with {@code date -u}), and no documented command nor script builds with {@code mvn -o}, which
 * fails on a fresh machine whose Maven repository lacks a plugin or JMH.
 */
class ShellExamplesTest {

    private static final Pattern FIXED_DATE = Pattern.compile("\\b(?:19|20)\\d\\d-[01]\\d-[0-3]\\d");
    /** mvn, then its options up to the end of the command, with -o (or --offline) among them */
    private static final Pattern OFFLINE_MAVEN = Pattern.compile("\\bmvn\\b[^;&|#\\n`]*?\\s(?:-o|--offline)\\b");
    private static final Pattern INLINE_CODE = Pattern.compile("`([^`\\n]+)`");

    private final List<MarkdownDocs.Block> examples = MarkdownDocs.fencedBlocks(MarkdownDocs.files(), "sh");

    @Test
    void theReadmesAndConfReadmesHaveShellExamples() {
        assertThat(examples).extracting(MarkdownDocs.Block::file)
                .contains("README.md", "conf/org/README.md", "conf/ca/README.md", "conf/test-ca/README.md",
                        "docs/operations.md");
    }

    @Test
    void everyShellExampleParses() throws Exception {
        for (MarkdownDocs.Block example : examples) {
            Process bash = new ProcessBuilder("bash", "-n").redirectErrorStream(true).start();
            try (OutputStream in = bash.getOutputStream()) {
                in.write(example.text().getBytes(StandardCharsets.UTF_8));
            }
            assertThat(bash.waitFor(30, TimeUnit.SECONDS)).isTrue();
            String errors = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(bash.exitValue()).as("bash -n of the example at %s: %s", example, errors).isZero();
        }
    }

    @Test
    void noShellExampleHasAFixedDate() {
        for (MarkdownDocs.Block example : examples) {
            assertThat(example.text()).as("the example at %s computes its dates (date -u -d '+1 day' …)", example)
                    .doesNotContainPattern(FIXED_DATE);
        }
    }

    @Test
    void noDocumentedCommandBuildsOffline() {
        for (MarkdownDocs.Block example : examples) {
            assertThat(example.text()).as("the example at %s", example).doesNotContainPattern(OFFLINE_MAVEN);
        }
        for (String file : MarkdownDocs.files()) {
            Matcher code = INLINE_CODE.matcher(MarkdownDocs.read(file));
            while (code.find()) {
                assertThat(code.group(1)).as("a command in %s", file).doesNotContainPattern(OFFLINE_MAVEN);
            }
        }
    }

    @Test
    void noScriptBuildsOffline() throws IOException {
        List<Path> scripts = new ArrayList<>();
        for (String dir : List.of("benchmarks", "james-deploy/bin", ".ci")) {
            try (Stream<Path> files = Files.list(MarkdownDocs.ROOT.resolve(dir))) {
                files.filter(Files::isRegularFile).filter(ShellExamplesTest::isShellScript).forEach(scripts::add);
            }
        }
        assertThat(scripts).extracting(p -> p.getFileName().toString())
                .contains("run.sh", "drills.sh", "enrolment.sh", "fuzz.sh", "benchmark-org", "james", "run");
        for (Path script : scripts) {
            for (String line : Files.readAllLines(script)) {
                String command = line.strip();
                if (!command.startsWith("#")) {
                    assertThat(command).as("%s", MarkdownDocs.ROOT.relativize(script)).doesNotContainPattern(OFFLINE_MAVEN);
                }
            }
        }
    }

    private static boolean isShellScript(Path file) {
        try {
            return Files.readString(file, StandardCharsets.ISO_8859_1).startsWith("#!")
                    && Files.readAllLines(file, StandardCharsets.ISO_8859_1).get(0).contains("sh");
        } catch (IOException e) {
            return false;
        }
    }
}
