package dev.acmesmime.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.util.io.pem.PemObject;

/** Runs the machine's OpenSSL 3 CLI in a directory, with a timeout, for interop checks. */
final class Openssl {

    /** What one run gave: exit code and stdout and stderr together. */
    record Run(int exit, String output) {
    }

    private final Path dir;

    Openssl(Path dir) {
        this.dir = dir;
    }

    /** Runs {@code openssl args…}, asserting that it ends within 60 s with exit code 0. */
    String ok(String... args) throws Exception {
        Run r = run(args);
        assertThat(r.exit()).as("openssl %s: %s", String.join(" ", args), r.output()).isZero();
        return r.output();
    }

    Run run(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("openssl ended in time").isTrue();
        return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    Path write(String name, byte[] content) throws IOException {
        return Files.write(dir.resolve(name), content);
    }

    Path writePem(String name, Object... objects) throws IOException {
        StringWriter w = new StringWriter();
        try (JcaPEMWriter pem = new JcaPEMWriter(w)) {
            for (Object o : objects) {
                // PKCS#8 for keys: the JDK's EC keys come out of JcaPEMWriter in a form OpenSSL rejects
                pem.writeObject(o instanceof PrivateKey k ? new PemObject("PRIVATE KEY", k.getEncoded()) : o);
            }
        }
        return Files.writeString(dir.resolve(name), w.toString());
    }

    byte[] read(String name) throws IOException {
        return Files.readAllBytes(dir.resolve(name));
    }
}
