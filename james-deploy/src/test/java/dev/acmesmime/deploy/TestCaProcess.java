package dev.acmesmime.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.acmesmime.testing.TempDirs;

/**
 * The test CA as a user runs it: {@code james-deploy/bin/test-ca --config FILE} in its own process,
 * FILE being a copy of the shipped {@code conf/test-ca/test-ca.properties} with some lines replaced
 * (free ports, a temporary dataDir, the HMAC key file of the James it talks to). Its output (stdout and
 * stderr) goes to one file the test reads.
 */
final class TestCaProcess implements AutoCloseable {

    static final Path LAUNCHER = Path.of(System.getProperty("test.ca.launcher", "bin/test-ca")).toAbsolutePath();
    static final Path SHIPPED = Path.of(System.getProperty("test.ca.conf", "../conf/test-ca/test-ca.properties"))
            .toAbsolutePath();
    static final String READY = "test-ca ready: directory=";
    /** The acceptance bound of issue 13 is "a few seconds"; this leaves room for a loaded 2-core machine. */
    static final Duration START = Duration.ofSeconds(15);
    private static final Pattern READY_LINE = Pattern.compile(Pattern.quote(READY) + "(\\S+)");

    final Path work;
    final Path config;
    final Path dataDir;
    private final Path output;
    private final Process process;

    private TestCaProcess(Path work, Path config, Path dataDir, Process process) {
        this.work = work;
        this.config = config;
        this.dataDir = dataDir;
        this.output = work.resolve("test-ca.out");
        this.process = process;
    }

    /** Starts the launcher on the shipped file with {@code overrides} (key → value); does not wait. */
    static TestCaProcess launch(Map<String, String> overrides) throws IOException {
        Path work = Files.createTempDirectory("acme-smime-test-ca");
        Path dataDir = work.resolve("data");
        Map<String, String> all = new LinkedHashMap<>();
        all.put("dataDir", dataDir.toString());
        all.put("forward.hmacKeyFile", shippedPath("forward.hmacKeyFile").toString());
        all.putAll(overrides);
        Path config = work.resolve("test-ca.properties");
        Files.write(config, withOverrides(Files.readAllLines(SHIPPED), all));
        Process p = new ProcessBuilder(LAUNCHER.toString(), "--config", config.toString())
                .redirectErrorStream(true).redirectOutput(work.resolve("test-ca.out").toFile()).start();
        return new TestCaProcess(work, config, dataDir, p);
    }

    /** Starts it and waits for its ready line. */
    static TestCaProcess start(Map<String, String> overrides) throws Exception {
        TestCaProcess p = launch(overrides);
        try {
            p.awaitReady();
            return p;
        } catch (Exception | AssertionError e) {
            p.close();
            throw e;
        }
    }

    /** A path of the shipped file, resolved as the test CA does: against the file's folder. */
    static Path shippedPath(String key) throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(SHIPPED)) {
            p.load(r);
        }
        return SHIPPED.getParent().resolve(p.getProperty(key)).normalize();
    }

    /** The shipped lines with each overridden key's line replaced (a commented example too), or appended. */
    static List<String> withOverrides(List<String> lines, Map<String, String> overrides) {
        Map<String, String> left = new LinkedHashMap<>(overrides);
        List<String> out = new ArrayList<>();
        for (String line : lines) {
            Matcher m = Pattern.compile("^#?([a-zA-Z][\\w.-]*)=").matcher(line);
            if (m.find() && left.containsKey(m.group(1))) {
                out.add(m.group(1) + "=" + left.remove(m.group(1)));
            } else {
                out.add(line);
            }
        }
        left.forEach((k, v) -> out.add(k + "=" + v));
        return out;
    }

    /** Waits for {@code test-ca ready: directory=<URL>}; fails with the output if it exits or takes too long. */
    URI awaitReady() throws Exception {
        long deadline = System.nanoTime() + START.toNanos();
        while (System.nanoTime() < deadline) {
            Matcher m = READY_LINE.matcher(output());
            if (m.find()) {
                return URI.create(m.group(1));
            }
            assertThat(process.isAlive()).as("bin/test-ca exited (%s):%n%s", exitValueOrNone(), output()).isTrue();
            Thread.sleep(100);
        }
        throw new AssertionError("no '" + READY + "' within " + START + ":\n" + output());
    }

    /** The directory URL of the ready line. */
    URI directory() throws IOException {
        Matcher m = READY_LINE.matcher(output());
        assertThat(m.find()).as("ready line in:%n%s", output()).isTrue();
        return URI.create(m.group(1));
    }

    /** Where the CA-role James forwards results: {@code /acme/mail-result} on the ACME port. */
    URI resultUrl() throws IOException {
        return directory().resolve("/acme/mail-result");
    }

    /** The test CA's JVM (the launcher execs java). */
    long pid() {
        return process.pid();
    }

    Path rootPem() {
        return dataDir.resolve("root.pem");
    }

    String output() throws IOException {
        return Files.exists(output) ? Files.readString(output) : "";
    }

    /** Waits for the process to end by itself; its exit code. */
    int awaitExit(Duration within) throws InterruptedException {
        assertThat(process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS)).as("bin/test-ca ended").isTrue();
        return process.exitValue();
    }

    /**
     * Freezes the test CA ({@code SIGSTOP}): its ports still accept connections but nothing answers, as a
     * CA that is down behind its load balancer. Unlike a restart it keeps its keys, accounts and orders,
     * which live in memory and would be made anew.
     */
    void pause() throws Exception {
        signal("STOP");
    }

    /** Lets a paused test CA go on ({@code SIGCONT}): it answers what waited meanwhile. */
    void resume() throws Exception {
        signal("CONT");
    }

    private void signal(String name) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0).as("kill -%s %s", name, process.pid())
                .isTrue();
    }

    private String exitValueOrNone() {
        return process.isAlive() ? "running" : "exit " + process.exitValue();
    }

    /** Stops the process (SIGTERM, then SIGKILL) and removes its files. */
    @Override
    public void close() throws Exception {
        try {
            if (process.isAlive()) {
                resume(); // a paused JVM would not act on SIGTERM
            }
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } finally {
            TempDirs.delete(work);
        }
    }
}
