package dev.acmesmime.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipFile;

/** The layout `mvn package` assembles in james-deploy/target/james, as the tests see it. */
final class Assembly {

    /** artifactId-version[-classifier].jar, the naming of maven-dependency-plugin; versions start with a digit. */
    private static final Pattern VERSIONED_JAR = Pattern.compile("^(.+?)-\\d[^/]*\\.jar$");
    private static final Pattern POM_PROPERTIES = Pattern.compile("^META-INF/maven/[^/]+/([^/]+)/pom\\.properties$");

    final Path root;

    private Assembly(Path root) {
        this.root = root;
    }

    /** The assembly named by the {@code james.assembly} property (set by the pom), which must exist. */
    static Assembly fromBuild() {
        Path root = Path.of(System.getProperty("james.assembly", "target/james")).toAbsolutePath();
        if (!Files.isRegularFile(root.resolve("classpath.txt"))) {
            throw new IllegalStateException("No James assembly in " + root
                    + ": these tests run after `package` (mvn verify), not in `mvn test`");
        }
        return new Assembly(root);
    }

    Path lib() {
        return root.resolve("lib");
    }

    Path extensionsJars() {
        return root.resolve("extensions-jars");
    }

    static List<Path> jars(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".jar")).sorted().collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** artifactId → jar file, for every jar in {@code dir}. */
    static Map<String, Path> byArtifactId(Path dir) {
        Map<String, Path> result = new TreeMap<>();
        for (Path jar : jars(dir)) {
            result.put(artifactId(jar), jar);
        }
        return result;
    }

    /**
     * The Maven artifactId of a jar: the longest artifactId among the jar's own
     * {@code META-INF/maven/.../pom.properties} that its file name starts with (shaded jars carry
     * several), else the file name up to the version.
     */
    static String artifactId(Path jar) {
        String fileName = jar.getFileName().toString();
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            String fromPom = zip.stream()
                    .map(e -> POM_PROPERTIES.matcher(e.getName()))
                    .filter(Matcher::matches)
                    .map(m -> m.group(1))
                    .filter(id -> fileName.startsWith(id + "-"))
                    .max((a, b) -> Integer.compare(a.length(), b.length()))
                    .orElse(null);
            if (fromPom != null) {
                return fromPom;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + jar, e);
        }
        Matcher m = VERSIONED_JAR.matcher(fileName);
        return m.matches() ? m.group(1) : fileName.substring(0, fileName.length() - ".jar".length());
    }

    /**
     * Jars of {@code bundle} that contain a class some jar of {@code lib} also contains, as
     * "bundle jar shares N classes with lib jar (e.g. name)". Catches a second copy under another
     * artifactId (bcprov-jdk18on beside bcprov-jdk15on), which {@link #duplicates} cannot see.
     */
    static List<String> sharedClasses(Path bundle, Path lib) {
        Map<String, String> serverClasses = new java.util.HashMap<>();
        for (Path jar : jars(lib)) {
            for (String name : classNames(jar)) {
                serverClasses.putIfAbsent(name, jar.getFileName().toString());
            }
        }
        List<String> result = new java.util.ArrayList<>();
        for (Path jar : jars(bundle)) {
            Map<String, List<String>> byServerJar = classNames(jar).stream()
                    .filter(serverClasses::containsKey)
                    .sorted()
                    .collect(Collectors.groupingBy(serverClasses::get, TreeMap::new, Collectors.toList()));
            byServerJar.forEach((serverJar, names) -> result.add(jar.getFileName() + " shares " + names.size()
                    + " classes with lib/" + serverJar + " (e.g. " + names.get(0) + ")"));
        }
        return result;
    }

    private static List<String> classNames(Path jar) {
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            return zip.stream()
                    .map(java.util.zip.ZipEntry::getName)
                    // multi-release copies and module descriptors are not separate classes
                    .filter(n -> n.endsWith(".class") && !n.startsWith("META-INF/") && !n.endsWith("module-info.class"))
                    .collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + jar, e);
        }
    }

    /** Jars of {@code bundle} whose artifactId is also in {@code lib}, as "bundle jar duplicates lib jar". */
    static List<String> duplicates(Path bundle, Path lib) {
        Map<String, Path> server = byArtifactId(lib);
        return byArtifactId(bundle).entrySet().stream()
                .filter(e -> server.containsKey(e.getKey()))
                .map(e -> e.getValue().getFileName() + " duplicates lib/" + server.get(e.getKey()).getFileName())
                .collect(Collectors.toList());
    }
}
