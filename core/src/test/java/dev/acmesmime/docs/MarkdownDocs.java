package dev.acmesmime.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The markdown an administrator reads (README.md, docs/*.md, conf/*&#47;README.md), found from the
 * repository root, and what the doc tests take out of it: fenced blocks of one language.
 */
final class MarkdownDocs {

    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    /** A fenced block: the file (repository-relative), the line its fence opens on, its text. */
    record Block(String file, int line, String text) {
        @Override
        public String toString() {
            return file + ":" + line;
        }
    }

    private static final Pattern FENCE = Pattern.compile("(?m)^( *)```(\\w*)\\n(.*?)^\\1```\\s*$", Pattern.DOTALL);

    private MarkdownDocs() {
    }

    /** README.md, docs/*.md and conf/*&#47;README.md, repository-relative, sorted. */
    static List<String> files() {
        List<String> files = new ArrayList<>(List.of("README.md"));
        files.addAll(list(ROOT.resolve("docs"), "docs/"));
        try (Stream<Path> confs = Files.list(ROOT.resolve("conf"))) {
            confs.sorted().filter(dir -> Files.isRegularFile(dir.resolve("README.md")))
                    .forEach(dir -> files.add("conf/" + dir.getFileName() + "/README.md"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }

    static String read(String file) {
        try {
            return Files.readString(ROOT.resolve(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every block fenced as {@code language} in {@code files}, its indentation removed. */
    static List<Block> fencedBlocks(List<String> files, String language) {
        List<Block> blocks = new ArrayList<>();
        for (String file : files) {
            String text = read(file);
            Matcher m = FENCE.matcher(text);
            while (m.find()) {
                if (m.group(2).equals(language)) {
                    int line = (int) text.substring(0, m.start()).chars().filter(c -> c == '\n').count() + 1;
                    String indent = m.group(1);
                    blocks.add(new Block(file, line, m.group(3).replaceAll("(?m)^" + indent, "")));
                }
            }
        }
        return blocks;
    }

    private static List<String> list(Path dir, String prefix) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".md")).sorted()
                    .map(n -> prefix + n).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
