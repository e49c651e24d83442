package dev.acmesmime.demo;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/**
 * {@code james-deploy/bin/demo [--keep]}: one command that shows a whole RFC 8823 enrolment on this
 * machine. It starts, every part in its own process on loopback: dnsmasq serving the DKIM keys of
 * ca.test and org.test, the test CA (HTTPS, External Account Binding required), a CA-role James from
 * {@code conf/ca} as ca.test and an organisation James from {@code conf/org} as org.test with the
 * enrolment on; each James's RemoteDelivery gateway is the other's SMTP port. It creates
 * {@code alice@org.test} and {@code bob@org.test} over WebAdmin and shows every step of their enrolment
 * with its time, then the certificates and where the audit records are. Then the certificates at work
 * ({@link DemoGateway}): alice sends bob a mail over SMTP AUTH, org.test's S/MIME gateway signs and
 * encrypts it, and the demo proves both on the mail bob reads over IMAP and prints the OpenSSL commands
 * that check it; last, what to try next.
 * <p>
 * Everything it makes (fresh DKIM keys, HMAC keys, the James homes and logs, the certificates as PEM, the
 * test CA's root, the audit exports, alice's mail to bob and bob's exported key) goes into a new work folder, {@code var/demo/<time>} at the repository
 * root, which it names first. It stops everything it started when it ends, also on Ctrl-C or a failure;
 * {@code --keep} leaves it all running and writes {@code stop} into the work folder.
 * <p>
 * Exit codes: 0 both certificates issued and alice's mail arrived signed and encrypted; 1 a step failed (the line names it and the failure codes
 * behind it), or dnsmasq is not installed; 2 a bad argument.
 */
public final class DemoMain {

    static final int EXIT_OK = 0;
    static final int EXIT_FAILED = 1;
    static final int EXIT_USAGE = 2;
    static final String USAGE = "usage: james-deploy/bin/demo [--keep]";

    private DemoMain() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        boolean keep = false;
        for (String arg : args) {
            if (!"--keep".equals(arg)) {
                err.println("demo: unknown argument '" + arg + "'; " + USAGE);
                return EXIT_USAGE;
            }
            keep = true;
        }
        long start = System.nanoTime();
        Path repo = Path.of(System.getProperty("demo.repo", ".")).toAbsolutePath().normalize();
        DemoProcesses processes = new DemoProcesses();
        boolean kept = false;
        try {
            Path work = Files.createDirectories(repo.resolve("var/demo")
                    .resolve(LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")))).toAbsolutePath();
            out.println("Work folder: " + work);
            DemoRun run = new DemoRun(repo, work, processes, out, start);
            run.run(keep);
            if (keep) {
                Path stop = processes.keep(work.resolve("stop"));
                kept = true;
                out.println();
                out.println("Everything keeps running (--keep). Send mail to org.test's SMTP 127.0.0.1:" + run.ports().orgSmtp()
                        + ", read it over IMAP 127.0.0.1:" + run.ports().orgImap() + " (alice@org.test / demo-password).");
                out.println("To stop it all: " + stop);
            }
            out.printf("%nDemo succeeded in %.1f s.%n", DemoWatch.seconds(System.nanoTime() - start));
            return EXIT_OK;
        } catch (Exception e) {
            if (!processes.interrupted()) {
                failure(e, err);
            }
            return EXIT_FAILED;
        } finally {
            if (!kept) {
                processes.close();
                out.printf("Stopped everything it started. Total time %.1f s.%n", DemoWatch.seconds(System.nanoTime() - start));
            }
        }
    }

    /** One line naming the step that failed, then the codes behind it. */
    private static void failure(Exception e, PrintStream err) {
        if (e instanceof DemoFailure f) {
            err.println("demo: FAILED at step '" + f.step() + "': " + f.getMessage());
            f.codes().forEach(c -> err.println("  " + c));
        } else {
            err.println("demo: FAILED: " + e);
        }
    }
}
