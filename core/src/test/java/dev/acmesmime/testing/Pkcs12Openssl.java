package dev.acmesmime.testing;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** OpenSSL 3's {@code pkcs12} command on an exported file: an implementation independent of BouncyCastle. */
public final class Pkcs12Openssl {

    private Pkcs12Openssl() {
    }

    /** What {@code openssl} printed (stdout and stderr) and how it exited. */
    public record Result(int exit, String output) {
    }

    /** {@code openssl pkcs12 [-legacy] -info -noout}: the file's structure and algorithms, no key printed. */
    public static Result info(Path p12, String password, boolean legacy) throws Exception {
        return run(p12, password, legacy, "-info", "-noout");
    }

    /** {@code openssl pkcs12 -nodes}: the certificates, the key (PEM) and their bag attributes. */
    public static Result contents(Path p12, String password) throws Exception {
        return run(p12, password, false, "-nodes");
    }

    private static Result run(Path p12, String password, boolean legacy, String... options) throws Exception {
        List<String> args = new ArrayList<>(List.of("pkcs12"));
        if (legacy) {
            args.add("-legacy"); // OpenSSL 3 reads RC2-40 and 3DES only from its legacy provider
        }
        args.addAll(List.of(options));
        args.addAll(List.of("-in", p12.toAbsolutePath().toString(), "-passin", "pass:" + password));
        Openssl.Run r = new Openssl(p12.toAbsolutePath().getParent()).run(args.toArray(String[]::new));
        return new Result(r.exit(), r.output());
    }
}
