package dev.acmesmime.testing;

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

/**
 * The machine's OpenSSL 3 command line, run in one folder with a timeout: the implementation independent of
 * BouncyCastle that checks what the plugin makes (S/MIME, PKCS#12) and makes what it must read.
 */
public final class Openssl {

    /** What one run gave: exit code and stdout and stderr together. */
    public record Run(int exit, String output) {
    }

    private final Path dir;

    public Openssl(Path dir) {
        this.dir = dir;
    }

    /** Runs {@code openssl args…}, asserting that it ends within 60 s with exit code 0. */
    public String ok(String... args) throws Exception {
        Run r = run(args);
        assertThat(r.exit()).as("openssl %s: %s", String.join(" ", args), r.output()).isZero();
        return r.output();
    }

    public Run run(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("openssl did not end within 60 s: " + command);
        }
        return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    public Path write(String name, byte[] content) throws IOException {
        return Files.write(dir.resolve(name), content);
    }

    public Path writePem(String name, Object... objects) throws IOException {
        StringWriter w = new StringWriter();
        try (JcaPEMWriter pem = new JcaPEMWriter(w)) {
            for (Object o : objects) {
                // PKCS#8 for keys: the JDK's EC keys come out of JcaPEMWriter in a form OpenSSL rejects
                pem.writeObject(o instanceof PrivateKey k ? new PemObject("PRIVATE KEY", k.getEncoded()) : o);
            }
        }
        return Files.writeString(dir.resolve(name), w.toString());
    }

    public byte[] read(String name) throws IOException {
        return Files.readAllBytes(dir.resolve(name));
    }
}
