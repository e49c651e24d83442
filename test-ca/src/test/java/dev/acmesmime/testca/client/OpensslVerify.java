package dev.acmesmime.testca.client;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.concurrent.TimeUnit;

/** {@code openssl verify -purpose smimesign}: an independent judge of an issued chain. */
public final class OpensslVerify {
    private OpensslVerify() {
    }

    /** The exit code and output of openssl verifying {@code leaf} against {@code root} via {@code intermediate}. */
    public record Result(int exitCode, String output) {
    }

    public static Result smimesign(Path root, X509Certificate intermediate, X509Certificate leaf, Path dir)
            throws IOException, InterruptedException {
        Path inter = write(dir.resolve("intermediate.pem"), intermediate);
        Path leafFile = write(dir.resolve("leaf.pem"), leaf);
        Process p = new ProcessBuilder("/usr/bin/openssl", "verify", "-purpose", "smimesign", "-CAfile",
                root.toString(), "-untrusted", inter.toString(), leafFile.toString()).redirectErrorStream(true).start();
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return new Result(-1, "timed out");
        }
        return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    private static Path write(Path file, X509Certificate cert) throws IOException {
        try {
            String b64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                    .encodeToString(cert.getEncoded());
            return Files.writeString(file, "-----BEGIN CERTIFICATE-----\n" + b64 + "\n-----END CERTIFICATE-----\n");
        } catch (CertificateEncodingException e) {
            throw new IOException(e);
        }
    }
}
