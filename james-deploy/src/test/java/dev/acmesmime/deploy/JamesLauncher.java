package dev.acmesmime.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * {@code bin/james} of the assembly, as an administrator runs it: {@code start} with a configuration
 * directory and a home, {@code stop} with the home. One per James home.
 */
final class JamesLauncher {

    static final Duration START_TIMEOUT = Duration.ofMinutes(3);
    static final String DEFAULT_JAVA_OPTS = "-Xmx256m -XX:+UseSerialGC";

    private final Path launcher = Path.of(System.getProperty("james.launcher", "bin/james")).toAbsolutePath();
    private final Path home;
    private final Path outputDir;

    /** @param outputDir where the launcher's output files go */
    JamesLauncher(Path home, Path outputDir) {
        this.home = home;
        this.outputDir = outputDir;
    }

    /** Exit code and output of one launcher run; -1 when it did not end in time. */
    record Launch(int exitCode, String output) {
    }

    Path home() {
        return home;
    }

    /** Starts James and waits until it answers (the launcher's own wait); {@code javaOpts} null: the default. */
    Launch start(Path conf, String javaOpts) throws IOException, InterruptedException {
        return run(javaOpts, "start", "--conf", conf.toString(), "--home", home.toString(),
                "--timeout", String.valueOf(START_TIMEOUT.toSeconds()));
    }

    /**
     * Stops James; a James the launcher failed to stop is killed, so that no process outlives the
     * build.
     */
    Launch stop() throws IOException, InterruptedException {
        Optional<ProcessHandle> james = process().filter(ProcessHandle::isAlive);
        Launch stop = run(null, "stop", "--home", home.toString(), "--timeout", "60");
        james.filter(ProcessHandle::isAlive).ifPresent(ProcessHandle::destroyForcibly);
        return stop;
    }

    /**
     * {@code kill -9} of this home's James, as a crash or the OOM killer would end it: no shutdown hook
     * runs, leases and half-done work stay in the store. Waits until the process is gone.
     */
    void kill() throws Exception {
        Optional<ProcessHandle> james = process().filter(ProcessHandle::isAlive);
        if (james.isPresent()) {
            james.get().destroyForcibly(); // SIGKILL on Linux
            james.get().onExit().get(30, TimeUnit.SECONDS);
        }
    }

    /** The James process of this home, from its pid file, while there is one. */
    Optional<ProcessHandle> process() {
        try {
            return ProcessHandle.of(Long.parseLong(Files.readString(home.resolve("james.pid")).trim()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** James's log, empty before James wrote one. */
    String log() throws IOException {
        Path log = home.resolve("log/james.log");
        return Files.exists(log) ? Files.readString(log) : "";
    }

    private Launch run(String javaOpts, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(launcher.toString());
        command.addAll(List.of(args));
        Path output = Files.createTempFile(outputDir, "launcher", ".out");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().put("JAMES_JAVA_OPTS", javaOpts != null ? javaOpts : DEFAULT_JAVA_OPTS);
        Process process = builder.start();
        if (!process.waitFor(START_TIMEOUT.toSeconds() + 30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        return new Launch(process.isAlive() ? -1 : process.exitValue(), Files.readString(output));
    }
}
