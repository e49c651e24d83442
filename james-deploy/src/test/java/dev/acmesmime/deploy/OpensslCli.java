package dev.acmesmime.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The machine's OpenSSL 3 command line, run in one folder: the implementation independent of
 * BouncyCastle that checks what the gateway sent (issue 16, "Tests (independent implementations)").
 *
 * @param dir where the files named in the arguments are
 */
record OpensslCli(Path dir) {

    /** What a run printed (stdout and stderr) and its exit code. */
    record Run(int exit, String output) {
    }

    /** {@code openssl args…}, which must succeed; its output. */
    String ok(String... args) throws Exception {
        Run r = run(args);
        assertThat(r.exit()).as("openssl %s\n%s", String.join(" ", args), r.output()).isZero();
        return r.output();
    }

    Run run(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("openssl did not end: " + command);
        }
        return new Run(p.exitValue(), output);
    }
}
