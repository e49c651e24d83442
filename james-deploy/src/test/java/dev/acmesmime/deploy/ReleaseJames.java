package dev.acmesmime.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * A James of a {@link ReleaseLayout}, started the way the release archive's README says, as a separate
 * process whose working directory is the layout: {@code java -Dworking.directory=.
 * -Dlogback.configurationFile=conf/logback.xml -Djdk.tls.ephemeralDHKeySize=2048 -jar
 * james-server-memory-app.jar}. Its console goes to {@code console.log} in the layout.
 */
final class ReleaseJames implements AutoCloseable {

    private final Process process;
    private final Path console;

    private ReleaseJames(Process process, Path console) {
        this.process = process;
        this.console = console;
    }

    /** Starts James and waits until it logged that it started; fails with its console if it exits first. */
    static ReleaseJames start(ReleaseLayout layout) throws IOException, InterruptedException {
        Path console = layout.root.resolve("console.log");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process process = new ProcessBuilder(java.toString(), "-Xmx384m", "-XX:+UseSerialGC",
                "-Dworking.directory=.", "-Dlogback.configurationFile=conf/logback.xml",
                "-Djdk.tls.ephemeralDHKeySize=2048", "-jar", ReleaseLayout.SERVER + ".jar")
                .directory(layout.root.toFile())
                .redirectErrorStream(true).redirectOutput(console.toFile())
                .start();
        ReleaseJames james = new ReleaseJames(process, console);
        james.awaitStarted(JamesLauncher.START_TIMEOUT);
        return james;
    }

    private void awaitStarted(Duration timeout) throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (!console().contains("JAMES server started")) {
            if (!process.isAlive()) {
                throw new IllegalStateException("James exited during start-up (" + process.exitValue() + "):\n" + console());
            }
            if (Instant.now().isAfter(deadline)) {
                close();
                throw new IllegalStateException("James not started after " + timeout + ":\n" + console());
            }
            Thread.sleep(250);
        }
    }

    /** What James wrote to its console so far. */
    String console() throws IOException {
        return Files.exists(console) ? Files.readString(console) : "";
    }

    /** SIGTERM, as an administrator stops it; killed if still alive a minute later. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }
}
