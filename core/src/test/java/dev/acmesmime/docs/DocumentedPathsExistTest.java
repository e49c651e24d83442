package dev.acmesmime.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import dev.acmesmime.store.StoreSettings;

/**
 * Issue 17, "check every path the docs name": each repository path the README, docs/ and the conf
 * READMEs name in backticks ({@code conf/…}, {@code docs/…}, {@code core/…}, …) exists, so a renamed
 * file or folder cannot leave a doc pointing at nothing. {@code …} stands for any folders
 * ({@code core/…/store/Jdbc.java}) and {@code *} for part of a name. Build outputs (under
 * {@code target/}) are not in a clean clone and are skipped. The one James-home path the docs name as a
 * setting's value, the master key's default, is not a repository file either.
 */
class DocumentedPathsExistTest {

    private static final Pattern PATH = Pattern.compile(
            "`((?:conf|docs|james-deploy|core|mailet|benchmarks|test-ca|matcher|\\.ci)/[^`\\s]*)`");

    @Test
    void everyRepositoryPathTheDocsNameExists() throws IOException {
        List<String> repositoryFiles = repositoryFiles();
        List<String> missing = new ArrayList<>();
        int checked = 0;
        for (String file : MarkdownDocs.files()) {
            Matcher m = PATH.matcher(MarkdownDocs.read(file));
            while (m.find()) {
                String path = m.group(1).replaceAll("[#:].*$", "").replaceAll("[.,;)]+$", "");
                if (path.contains("/target/") || path.equals(StoreSettings.DEFAULT_MASTER_KEY_FILE)) {
                    continue;
                }
                checked++;
                if (!exists(path, repositoryFiles)) {
                    missing.add(file + ": " + m.group(1));
                }
            }
        }
        assertThat(checked).as("paths the docs name").isGreaterThan(100);
        assertThat(missing).as("paths the docs name that are not in the repository").isEmpty();
    }

    private static boolean exists(String path, List<String> repositoryFiles) {
        if (!path.contains("…") && !path.contains("*")) {
            return Files.exists(MarkdownDocs.ROOT.resolve(path));
        }
        StringBuilder regex = new StringBuilder();
        for (char c : path.replaceAll("/$", "").toCharArray()) {
            regex.append(switch (c) {
                case '…' -> ".+";
                case '*' -> "[^/]*";
                default -> Pattern.quote(String.valueOf(c));
            });
        }
        // a folder matches when a file lies under it
        Pattern pattern = Pattern.compile(regex + "(?:/.*)?");
        return repositoryFiles.stream().anyMatch(f -> pattern.matcher(f).matches());
    }

    /** Every file of the repository outside build outputs and .git, repository-relative. */
    private static List<String> repositoryFiles() throws IOException {
        try (Stream<Path> files = Files.walk(MarkdownDocs.ROOT)) {
            return files.filter(Files::isRegularFile)
                    .map(f -> MarkdownDocs.ROOT.relativize(f).toString())
                    .filter(f -> !f.startsWith(".git/") && !f.contains("target/") && !f.startsWith("var/"))
                    .toList();
        }
    }
}
