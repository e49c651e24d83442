package dev.acmesmime.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** OpenSSL 3's {@code pkcs12} command on an exported file: an implementation independent of BouncyCastle. */
public final class Pkcs12Openssl {

    private Pkcs12Openssl() {
    }

    /** What {@code openssl} printed (stdout and stderr) and how it exited. */
    public record Result(int exit, String output) {
    }

    /** {@code openssl pkcs12 [-legacy] -info -noout}: the file's structure and algorithms, no key printed. */
    public static Result info(Path p12, String password, boolean legacy) throws IOException, InterruptedException {
        return run(p12, password, legacy, "-info", "-noout");
    }

    /** {@code openssl pkcs12 -nodes}: the certificates, the key (PEM) and their bag attributes. */
    public static Result contents(Path p12, String password) throws IOException, InterruptedException {
        return run(p12, password, false, "-nodes");
    }

    private static Result run(Path p12, String password, boolean legacy, String... options)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("openssl", "pkcs12"));
        if (legacy) {
            command.add("-legacy"); // OpenSSL 3 reads RC2-40 and 3DES only from its legacy provider
        }
        command.addAll(List.of(options));
        command.addAll(List.of("-in", p12.toString(), "-passin", "pass:" + password));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("openssl did not finish: " + command);
        }
        return new Result(p.exitValue(), out);
    }
}
