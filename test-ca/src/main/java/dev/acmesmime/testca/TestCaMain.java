package dev.acmesmime.testca;

import java.io.PrintStream;
import java.nio.file.Path;

/**
 * {@code james-deploy/bin/test-ca --config FILE}: starts the test CA and prints
 * {@code test-ca ready: directory=<URL>} once it serves.
 * <p>
 * Exit codes: 2 for a wrong command line or a bad setting (one line, {@code test-ca: <message>}, on stderr).
 * It runs until stopped; a shutdown hook (Ctrl-C, SIGTERM) closes both ports.
 */
public final class TestCaMain {
    static final String USAGE = "usage: test-ca --config FILE";
    /** Logs to stderr, so stdout is the banner and the ready line only; {@code -Dlogback.configurationFile} wins. */
    static final String LOGGING = "dev/acmesmime/testca/logback-test-ca.xml";

    private TestCaMain() {
    }

    public static void main(String[] args) {
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", LOGGING);
        }
        int code = run(args, System.out, System.err);
        if (code != 0) {
            System.exit(code);
        }
    }

    /** Starts the test CA and returns 0 while it serves, or the exit code of a failed start. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length != 2 || !args[0].equals("--config")) {
            err.println(USAGE);
            return 2;
        }
        TestCa ca;
        try {
            ca = TestCa.start(TestCaSettings.load(Path.of(args[1])));
        } catch (TestCaConfigurationException e) {
            err.println("test-ca: " + e.getMessage());
            return 2;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(ca::close, "test-ca-shutdown"));
        out.println("test-ca: a TEST certificate authority (RFC 8555 + RFC 8823 email-reply-00).");
        out.println("test-ca: state is in memory, keys are thrown away when it stops; never use it for real"
                + " certificates.");
        out.println("test-ca: root certificate " + ca.rootPem() + ", management " + ca.management());
        out.println("test-ca ready: directory=" + ca.directory());
        out.flush();
        return 0;
    }
}
