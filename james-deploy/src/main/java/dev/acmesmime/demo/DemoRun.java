package dev.acmesmime.demo;

import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * One run of the demo, in the order the parts need each other: keys and dnsmasq; the test CA (its root
 * is made at start); the CA-role James of ca.test, trusting that root for the results it forwards, and the
 * organisation James of org.test with the enrolment on and its S/MIME gateway signing and encrypting
 * org.test's mail, both at once; then the two users, the watch, and a mail from alice to bob.
 */
final class DemoRun {

    static final List<String> MAILBOXES = List.of("alice@" + DemoConf.ORG_DOMAIN, "bob@" + DemoConf.ORG_DOMAIN);
    static final String EAB_KID = "demo-kid";
    /** Both users' password, a throwaway; also the password of bob's exported PKCS#12. */
    static final String PASSWORD = "demo-password";
    /** Enrolment of both mailboxes after their users exist: the user scan (10 s) plus a few seconds each step. */
    static final Duration ENROLMENT_LIMIT = Duration.ofSeconds(90);

    private final Path repo;
    private final Path work;
    private final DemoProcesses processes;
    private final PrintStream out;
    private final long startNanos;
    private final DemoPorts ports;
    /** What the run is doing, for the failure line. */
    private String phase = "start";

    DemoRun(Path repo, Path work, DemoProcesses processes, PrintStream out, long startNanos) throws Exception {
        this.repo = repo;
        this.work = work;
        this.processes = processes;
        this.out = out;
        this.startNanos = startNanos;
        this.ports = DemoPorts.free();
    }

    DemoPorts ports() {
        return ports;
    }

    /**
     * Starts everything and enrols both mailboxes; leaves the report in the work folder. An unexpected
     * error is a {@link DemoFailure} of the part being done.
     */
    void run(boolean keep) throws DemoFailure, InterruptedException {
        try {
            steps(keep);
        } catch (DemoFailure | InterruptedException e) {
            throw e;
        } catch (Exception e) {
            throw new DemoFailure(phase, e.toString());
        }
    }

    private void steps(boolean keep) throws Exception {
        phase = "make the keys";
        Path keys = Files.createDirectories(work.resolve("keys"));
        DemoDns.binary(); // a missing dnsmasq stops the demo before any key is made
        String caRecord = DemoKeys.dkimKey(keys.resolve("ca.test-acme-sample.pem"));
        String orgRecord = DemoKeys.dkimKey(keys.resolve("org.test-acme.pem"));
        Path forwardSecret = Files.writeString(keys.resolve("forward.secret"), DemoKeys.secret() + "\n");
        Path eabKey = Files.writeString(keys.resolve("eab.key"), DemoKeys.secret());
        phase = "start dnsmasq";
        DemoDns.start(processes, ports.dns(), Map.of("acme-sample._domainkey." + DemoConf.CA_DOMAIN, caRecord,
                "acme._domainkey." + DemoConf.ORG_DOMAIN, orgRecord), work.resolve("dnsmasq.log"));
        step("dnsmasq serves the DKIM keys of ca.test and org.test on 127.0.0.1:" + ports.dns());
        phase = "start the test CA";
        URI directory = testCa(forwardSecret, eabKey);
        step("test CA ready: " + directory + " (management http://127.0.0.1:" + ports.management() + "/stats)");
        Path caHome = work.resolve("ca/home");
        Path orgHome = work.resolve("org/home");
        phase = "write the configurations";
        configure(directory, keys, forwardSecret, eabKey, orgHome);
        phase = "start the two James";
        startBoth(caHome, orgHome);
        step("ca.test's James ready: SMTP 127.0.0.1:" + ports.caSmtp() + ", WebAdmin http://127.0.0.1:" + ports.caWebAdmin());
        step("org.test's James ready: SMTP 127.0.0.1:" + ports.orgSmtp() + ", IMAP 127.0.0.1:" + ports.orgImap()
                + ", WebAdmin http://127.0.0.1:" + ports.orgWebAdmin());
        DemoHttp org = new DemoHttp(ports.orgWebAdmin());
        DemoHttp ca = new DemoHttp(ports.caWebAdmin());
        phase = "create the users";
        createUsers(org);
        phase = "watch the enrolment";
        new DemoWatch(org, ca, out, startNanos).await(MAILBOXES, ENROLMENT_LIMIT);
        phase = "report the certificates and audit records";
        DemoReport report = new DemoReport(work, out);
        report.certificates(org, MAILBOXES, work.resolve("test-ca/root.pem"));
        report.audit(ca, MAILBOXES, caHome);
        phase = "show the certificates at work";
        out.println();
        out.println("The certificates at work: alice sends bob a mail through org.test's James (S/MIME gateway, issue 16):");
        new DemoGateway(work, out, startNanos).run(ports, org, MAILBOXES.get(0), MAILBOXES.get(1), work.resolve("test-ca/root.pem"));
        report.explain(ports, MAILBOXES.get(0), keep);
    }

    private URI testCa(Path forwardSecret, Path eabKey) throws Exception {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("dataDir", work.resolve("test-ca").toString());
        s.put("http.port", Integer.toString(ports.acme()));
        s.put("tls", "true");
        s.put("management.port", Integer.toString(ports.management()));
        s.put("smtp.port", Integer.toString(ports.caSmtp()));
        s.put("challenge.from", "acme@" + DemoConf.CA_DOMAIN);
        s.put("forward.hmacKeyFile", forwardSecret.toString());
        s.put("eab", "required");
        s.put("eab.key." + EAB_KID, Files.readString(eabKey).strip());
        Path config = work.resolve("test-ca.properties");
        DemoConf.testCa(repo, config, s);
        return new DemoLaunchers(repo, processes).testCa(config, work.resolve("test-ca.out"));
    }

    private void configure(URI directory, Path keys, Path forwardSecret, Path eabKey, Path orgHome) throws Exception {
        Path root = work.resolve("test-ca/root.pem");
        Path trust = keys.resolve("test-ca-trust.p12");
        DemoKeys.trustStore(root, trust, "test-ca-trust");
        Path trustPassword = Files.writeString(keys.resolve("test-ca-trust.password"), "test-ca-trust");
        DemoConf.ca(repo, work.resolve("ca/conf"), ports, keys.resolve("ca.test-acme-sample.pem"),
                Files.readString(forwardSecret).strip(), "forward.trustStore=" + trust + "\nforward.trustStorePasswordFile=" + trustPassword);
        Map<String, String> s = new LinkedHashMap<>();
        s.put("enrolment.enabled", "true");
        s.put("enrolment.userScanSeconds", "10"); // the shortest allowed: a new user is seen within 10 s
        s.put("enrolment.pollSeconds", "1");
        s.put("enrolment.retry.initialSeconds", "2");
        s.put("enrolment.retry.maxSeconds", "10");
        String p = "enrolment.profile.demo.";
        s.put(p + "directory", directory.toString());
        s.put(p + "domains", DemoConf.ORG_DOMAIN);
        s.put(p + "trustStore", root.toString());
        s.put(p + "termsOfServiceAgreed", "true");
        s.put(p + "postDelay", "1s");
        s.put(p + "eab.kid", EAB_KID);
        s.put(p + "eab.hmacKeyFile", eabKey.toString());
        // the gateway as conf/org ships it for org.example: alice's mail signed, encrypted to bob once he has a certificate
        s.put("gateway.sign." + DemoConf.ORG_DOMAIN, "sign");
        s.put("gateway.encrypt." + DemoConf.ORG_DOMAIN, "opportunistic");
        DemoConf.org(repo, work.resolve("org/conf"), ports, DemoConf.lines(s));
        Files.copy(keys.resolve("org.test-acme.pem"), Files.createDirectories(orgHome.resolve("var/dkim"))
                .resolve("acme._domainkey." + DemoConf.ORG_DOMAIN + ".pem"));
    }

    /** Both James at once: each takes most of the start-up time, and neither needs the other to start. */
    private void startBoth(Path caHome, Path orgHome) throws Exception {
        DemoLaunchers launchers = new DemoLaunchers(repo, processes);
        step("starting ca.test's James and org.test's James (bin/james start, about 30 s) ...");
        CompletableFuture<Void> ca = CompletableFuture.runAsync(() -> start(launchers, "CA-role James (ca.test)", "ca", caHome));
        CompletableFuture<Void> org = CompletableFuture.runAsync(() -> start(launchers, "organisation James (org.test)", "org", orgHome));
        try {
            CompletableFuture.allOf(ca, org).join();
        } catch (CompletionException e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof DemoFailure f) {
                    throw f;
                }
            }
            throw e;
        }
    }

    private void start(DemoLaunchers launchers, String name, String dir, Path home) {
        try {
            launchers.james(name, work.resolve(dir + "/conf"), home, work.resolve(dir + "/james-start.out"));
        } catch (Exception e) {
            throw new CompletionException(e);
        }
    }

    /** {@code PUT /users/{mailbox}} on org.test's WebAdmin, all an admin does; the enrolment starts by itself. */
    private void createUsers(DemoHttp org) throws Exception {
        for (String mailbox : MAILBOXES) {
            DemoHttp.Answer a = org.send("PUT", "/users/" + mailbox, "{\"password\":\"" + PASSWORD + "\"}");
            if (a.status() != 204) {
                throw new DemoFailure("create " + mailbox, "PUT /users/" + mailbox + " answered " + a.status() + " " + a.body());
            }
            step("created " + mailbox + " over WebAdmin (PUT /users/" + mailbox + "); its enrolment starts by itself");
        }
    }

    private void step(String what) {
        out.printf("[%6.1f s] %s%n", DemoWatch.seconds(System.nanoTime() - startNanos), what);
    }
}
