package dev.acmesmime.demo;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Starts the test CA and the two James exactly as an admin does, with the repository's launchers:
 * {@code bin/test-ca --config FILE} (ready when it prints its directory URL) and
 * {@code bin/james start --conf DIR --home DIR} (which waits until James answers). Each is registered with
 * {@link DemoProcesses} before it starts, so a half-started one is stopped too.
 */
final class DemoLaunchers {

    private static final Pattern READY = Pattern.compile("test-ca ready: directory=(\\S+)");
    private static final Pattern EXCEPTION = Pattern.compile("^(Caused by: )?[\\w.$]+(Exception|Error): ");
    private static final long TEST_CA_START_SECONDS = 30;
    private static final int JAMES_START_SECONDS = 150;

    private final Path repo;
    private final DemoProcesses processes;

    DemoLaunchers(Path repo, DemoProcesses processes) {
        this.repo = repo;
        this.processes = processes;
    }

    /** Starts the test CA on {@code config}; its directory URL once it serves. */
    URI testCa(Path config, Path output) throws IOException, InterruptedException, DemoFailure {
        Process p = processes.launch("test CA", List.of(repo.resolve("james-deploy/bin/test-ca").toString(),
                "--config", config.toString()), output);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TEST_CA_START_SECONDS);
        while (System.nanoTime() < deadline) {
            Matcher m = READY.matcher(Files.readString(output));
            if (m.find()) {
                return URI.create(m.group(1));
            }
            if (!p.isAlive()) {
                throw new DemoFailure("start the test CA", "bin/test-ca exited " + p.exitValue() + ": "
                        + lastLines(output));
            }
            Thread.sleep(100);
        }
        throw new DemoFailure("start the test CA", "no ready line within " + TEST_CA_START_SECONDS + " s: " + lastLines(output));
    }

    /** {@code bin/james start}; stopped with {@code bin/james stop} when the demo ends. */
    void james(String name, Path conf, Path home, Path output) throws IOException, InterruptedException, DemoFailure {
        String launcher = repo.resolve("james-deploy/bin/james").toString();
        List<String> stop = List.of(launcher, "stop", "--home", home.toString(), "--timeout", "30", "--force");
        processes.onClose(name, String.join(" ", stop), () -> run(stop, Map.of(), home.resolveSibling(home.getFileName() + "-stop.out")));
        int exit = run(List.of(launcher, "start", "--conf", conf.toString(), "--home", home.toString(),
                "--timeout", Integer.toString(JAMES_START_SECONDS)),
                Map.of("JAMES_JAVA_OPTS", "-Xmx384m -XX:+UseSerialGC -XX:TieredStopAtLevel=1"), output);
        if (exit != 0) {
            throw new DemoFailure("start the " + name, "bin/james start exited " + exit + ": " + lastLines(output)
                    + " (James's log: " + home.resolve("log/james.log") + ")");
        }
    }

    private static int run(List<String> command, Map<String, String> env, Path output) throws IOException, InterruptedException {
        ProcessBuilder b = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
        b.environment().putAll(env);
        Process p = b.start();
        if (!p.waitFor(JAMES_START_SECONDS + 30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return -1;
        }
        return p.exitValue();
    }

    /**
     * A one-line reason from a launcher's output: its first exception line (e.g. {@code java.net.BindException:
     * Address already in use}), not the stack frames after it; else its last lines.
     */
    static String lastLines(Path output) throws IOException {
        List<String> lines = Files.exists(output) ? Files.readAllLines(output) : List.of();
        return lines.stream().filter(l -> EXCEPTION.matcher(l).find()).findFirst()
                .orElse(String.join(" | ", lines.subList(Math.max(0, lines.size() - 3), lines.size())).strip());
    }
}
