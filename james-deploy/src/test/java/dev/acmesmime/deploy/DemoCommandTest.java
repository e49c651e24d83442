package dev.acmesmime.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.acmesmime.testing.TempDirs;

/**
 * Issue 17: {@code james-deploy/bin/demo}, run from the repository root exactly as the README says, in its
 * own process. It exits 0 within 2 minutes; both certificates it wrote verify with
 * {@code openssl verify -purpose smimesign} against the test CA's root it wrote; its output shows every
 * step for both mailboxes; and nothing it started is left running (no process on its work folder, every
 * port it printed free). Ctrl-C in the middle of an enrolment also stops everything; a bad argument is
 * a one-line usage error, exit 2. Issue 16: then alice's mail to bob arrives signed and encrypted, which the
 * OpenSSL commands the demo printed confirm.
 */
@Timeout(600) // hang guard only
class DemoCommandTest {

    static final Path REPO = Path.of(System.getProperty("demo.repo", "..")).toAbsolutePath().normalize();
    static final List<String> STEPS = List.of("order created", "challenge mail sent", "challenge validated", "response sent",
            "response validated", "result forwarded", "challenge valid", "certificate issued");
    static final List<String> MAILBOXES = List.of("alice@org.test", "bob@org.test");
    private static final Pattern WORK = Pattern.compile("Work folder: (\\S+)");
    private static final Pattern PORT = Pattern.compile("(?:127\\.0\\.0\\.1|localhost):(\\d+)");

    @Test
    void enrolsBothMailboxesAndStopsEverythingItStarted() throws Exception {
        Path output = Files.createTempFile("demo", ".out");
        Process demo = start(output);
        assertThat(demo.waitFor(5, TimeUnit.MINUTES)).as("bin/demo ended").isTrue();
        String out = Files.readString(output);
        Path work = workFolder(out);
        try {
            assertThat(demo.exitValue()).as(out).isZero();
            for (String mailbox : MAILBOXES) {
                for (String step : STEPS) {
                    assertThat(out).as(mailbox + " " + step).containsPattern("(?m)^\\[ *[\\d.]+ s\\] " + Pattern.quote(mailbox)
                            + " +" + Pattern.quote(step) + " +\\+[\\d.]+ ");
                }
                Path chain = work.resolve("certs/" + mailbox + ".pem");
                assertThat(openssl("verify", "-purpose", "smimesign", "-CAfile", work.resolve("certs/test-ca-root.pem").toString(),
                        "-untrusted", chain.toString(), chain.toString())).isEqualTo(chain + ": OK");
                assertThat(out).contains("SAN:      email:" + mailbox);
            }
            certificatesAtWork(out, work);
            Matcher total = Pattern.compile("Total time ([\\d.]+) s").matcher(out);
            assertThat(total.find()).as(out).isTrue();
            assertThat(Double.parseDouble(total.group(1))).as("total seconds, build excluded").isLessThan(120);
            assertNothingLeft(out, work);
        } finally {
            TempDirs.delete(work);
        }
    }

    /**
     * Issue 16, the whole flow on real processes: alice's mail reached bob signed with her enrolled certificate
     * (G1, G4) and encrypted to bob's (G7). The demo's own lines say so, and the OpenSSL commands it printed,
     * run as a reader would paste them, decrypt it with bob's exported PKCS#12 and verify the signature
     * against the test CA's root; they fail on a mail that is not both.
     */
    private static void certificatesAtWork(String out, Path work) throws Exception {
        Matcher aliceSerial = Pattern.compile("(?s)  alice@org\\.test\n.*?serial: +([0-9a-f]+)").matcher(out);
        assertThat(aliceSerial.find()).as(out).isTrue();
        assertThat(out).containsPattern("(?m)^\\[ *[\\d.]+ s\\] alice@org\\.test logged in over SMTP AUTH .* sent bob@org\\.test a mail")
                .containsPattern("(?m)^\\[ *[\\d.]+ s\\] bob@org\\.test read it over IMAP -> .*alice-to-bob\\.eml;"
                        + " org\\.test's James marked it: .*\\bsign signed\\b")
                .containsPattern("(?m)^\\[ *[\\d.]+ s\\] bob@org\\.test read it over IMAP .*\\bencrypt encrypted\\b")
                .containsPattern("(?m)^\\[ *[\\d.]+ s\\] encrypted: AES-256-(GCM authEnveloped|CBC enveloped)-data to 2 certificates; ")
                .contains("signed: by alice@org.test's certificate (serial " + aliceSerial.group(1) + "), verified against");
        Path mail = work.resolve("mails/alice-to-bob.eml");
        assertThat(Files.readString(mail)).containsIgnoringCase("Content-Type: application/pkcs7-mime")
                .doesNotContain("signed with my own certificate");
        List<String> commands = out.lines().dropWhile(l -> !l.startsWith("Check it yourself with OpenSSL"))
                .skip(1).takeWhile(l -> l.startsWith("  ")).map(String::strip).toList();
        assertThat(commands).hasSize(2).first().isEqualTo("cd " + work);
        Process p = new ProcessBuilder("bash", "-o", "pipefail", "-c", String.join(" && ", commands))
                .redirectErrorStream(true).start();
        String checked = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(checked).isZero();
        assertThat(checked).contains("this mail was signed with my own certificate and encrypted to yours")
                .contains("Verification successful");
    }

    @Test
    void ctrlCDuringTheEnrolmentStopsEverything() throws Exception {
        Path output = Files.createTempFile("demo", ".out");
        Process demo = start(output);
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(4);
        while (!Files.readString(output).contains("created bob@org.test") && demo.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        String before = Files.readString(output);
        Path work = workFolder(before);
        try {
            assertThat(before).contains("created bob@org.test");
            // what Ctrl-C sends to the foreground process: bin/demo execs java, so this is the demo's JVM
            assertThat(new ProcessBuilder("kill", "-INT", Long.toString(demo.pid())).start().waitFor()).isZero();
            assertThat(demo.waitFor(2, TimeUnit.MINUTES)).as("bin/demo ended after SIGINT").isTrue();
            String out = Files.readString(output);
            assertThat(demo.exitValue()).as(out).isNotZero();
            assertThat(out).doesNotContain("Demo succeeded");
            assertNothingLeft(out, work);
        } finally {
            TempDirs.delete(work);
        }
    }

    @Test
    void aBadArgumentIsAOneLineUsageError() throws Exception {
        Path output = Files.createTempFile("demo", ".out");
        Process demo = new ProcessBuilder("james-deploy/bin/demo", "--bogus").directory(REPO.toFile())
                .redirectErrorStream(true).redirectOutput(output.toFile()).start();
        assertThat(demo.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(demo.exitValue()).isEqualTo(2);
        assertThat(Files.readAllLines(output)).containsExactly(
                "demo: unknown argument '--bogus'; usage: james-deploy/bin/demo [--keep]");
    }

    /** bin/demo as the README says: from the repository root. */
    /**
     * Starts {@code james-deploy/bin/demo} as a terminal would start a foreground command: with SIGINT's default
     * action. A test run from a background job (a CI script started with {@code &}) inherits SIGINT ignored, and a
     * JVM started so never sees Ctrl-C; Python's {@code exec} after resetting it gives the demo what a person's
     * shell gives it.
     */
    private static Process start(Path output) throws IOException {
        return new ProcessBuilder("/usr/bin/python3", "-c", "import os, signal, sys;"
                + " signal.signal(signal.SIGINT, signal.SIG_DFL); os.execv(sys.argv[1], sys.argv[1:])",
                "james-deploy/bin/demo").directory(REPO.toFile()).redirectErrorStream(true)
                .redirectOutput(output.toFile()).start();
    }

    private static Path workFolder(String out) {
        Matcher m = WORK.matcher(out);
        assertThat(m.find()).as("work folder line in:%n%s", out).isTrue();
        return Path.of(m.group(1));
    }

    /** No process runs on the work folder (the James, the test CA), and every port the demo printed is free. */
    private static void assertNothingLeft(String out, Path work) throws Exception {
        List<String> left = ProcessHandle.allProcesses().filter(p -> p.info().commandLine().orElse("").contains(work.toString()))
                .map(p -> p.pid() + " " + p.info().commandLine().orElse("")).toList();
        assertThat(left).as("processes on %s", work).isEmpty();
        Set<Integer> ports = new TreeSet<>();
        Matcher m = PORT.matcher(out);
        while (m.find()) {
            ports.add(Integer.parseInt(m.group(1)));
        }
        assertThat(ports).as("ports printed").hasSizeGreaterThanOrEqualTo(3);
        List<Integer> busy = new ArrayList<>();
        for (int port : ports) {
            try (ServerSocket tcp = new ServerSocket(port, 1, InetAddress.getLoopbackAddress());
                 DatagramSocket udp = new DatagramSocket(port, InetAddress.getLoopbackAddress())) {
                tcp.getLocalPort();
            } catch (IOException e) {
                busy.add(port);
            }
        }
        assertThat(busy).as("ports still bound after bin/demo ended").isEmpty();
    }

    private static String openssl(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes()).strip();
        assertThat(p.waitFor()).as(out).isZero();
        return out;
    }
}
