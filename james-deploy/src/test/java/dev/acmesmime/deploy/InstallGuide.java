package dev.acmesmime.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What {@code docs/guide/install.md} tells an administrator to do, read from the page itself so that
 * {@link ReleaseLayoutInstallTest} follows the page and not a copy of it: the jars of §2's table, the
 * fenced blocks of §3 and §4, the WebAdmin routes of §4.
 */
final class InstallGuide {

    /** A backticked name, or a version in brackets that applies to the names since the previous version. */
    private static final Pattern NAME_OR_VERSION = Pattern.compile("`([^`]+)`|\\((\\d[^)]*)\\)");
    private static final Pattern FENCE = Pattern.compile("(?ms)^([ \\t]*)```(\\w+)\\n(.*?)^\\1```");
    private static final Pattern ORGANISATION_ROUTES = Pattern.compile("For the organisation role add\\s+`([^`]+)`");

    final Path page;
    private final String text;

    private InstallGuide(Path page, String text) {
        this.page = page;
        this.text = text;
    }

    /** The page named by the {@code acme-smime.install.guide} property (set by the pom). */
    static InstallGuide fromBuild() throws IOException {
        Path page = Path.of(System.getProperty("acme-smime.install.guide", "../docs/guide/install.md")).toAbsolutePath();
        return new InstallGuide(page, Files.readString(page));
    }

    static InstallGuide of(String text) {
        return new InstallGuide(Path.of("install.md"), text);
    }

    /**
     * artifactId → version for every jar of the table in "## 2.", in the page's order; no version for
     * the plugin's own jars (the version of this build).
     */
    Map<String, Optional<String>> bundleJars() {
        Map<String, Optional<String>> jars = new LinkedHashMap<>();
        for (String row : section("## 2.").lines().filter(l -> l.startsWith("| `")).toList()) {
            List<String> pending = new ArrayList<>();
            Matcher m = NAME_OR_VERSION.matcher(row.split("\\|")[1]);
            while (m.find()) {
                if (m.group(1) != null) {
                    pending.add(m.group(1));
                } else {
                    pending.forEach(name -> jars.put(name, Optional.of(m.group(2))));
                    pending.clear();
                }
            }
            pending.forEach(name -> jars.put(name, Optional.empty()));
        }
        if (jars.isEmpty()) {
            throw new IllegalStateException(page + " has no jar table in its section 2");
        }
        return jars;
    }

    /** The one fenced block of language {@code language} that contains {@code marker}, without its indentation. */
    String fencedBlock(String language, String marker) {
        List<String> blocks = new ArrayList<>();
        Matcher m = FENCE.matcher(text);
        while (m.find()) {
            if (m.group(2).equals(language) && m.group(3).contains(marker)) {
                String indent = m.group(1);
                blocks.add(m.group(3).lines()
                        .map(l -> l.startsWith(indent) ? l.substring(indent.length()) : l)
                        .collect(Collectors.joining("\n", "", "\n")));
            }
        }
        if (blocks.size() != 1) {
            throw new IllegalStateException(page + " has " + blocks.size() + " ```" + language + " blocks with " + marker);
        }
        return blocks.get(0);
    }

    /** The route classes §4 tells the organisation role to add to {@code extensions.routes}. */
    String organisationRoutes() {
        Matcher m = ORGANISATION_ROUTES.matcher(section("## 4."));
        if (!m.find()) {
            throw new IllegalStateException(page + " names no organisation-role routes in its section 4");
        }
        return m.group(1);
    }

    /** The text from the heading starting with {@code heading} to the next "## " heading. */
    private String section(String heading) {
        int start = text.indexOf("\n" + heading);
        if (start < 0) {
            throw new IllegalStateException(page + " has no section " + heading);
        }
        int end = text.indexOf("\n## ", start + 1);
        return text.substring(start, end < 0 ? text.length() : end);
    }
}
