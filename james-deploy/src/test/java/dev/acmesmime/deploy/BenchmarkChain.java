package dev.acmesmime.deploy;

import static dev.acmesmime.testing.ConfFiles.replaceOnce;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;

import dev.acmesmime.james.it.OrgJames;
import dev.acmesmime.testing.FreePorts;
import dev.acmesmime.testing.TempDirs;
import dev.acmesmime.testing.WebAdminClient;

/**
 * The three processes of the enrolment benchmark, wired as in production but on loopback, each started
 * by its launcher: the test CA ({@code bin/test-ca}, HTTPS), a CA-role James ({@code bin/james}, conf/ca)
 * that DKIM-signs the test CA's challenge mails as ca.example, relays them to the organisation James
 * and forwards the verified responses to the test CA over HTTPS (its root in {@code forward.trustStore}),
 * and an organisation James ({@code bin/james}, conf/org) with the enrolment on for {@value #DOMAIN},
 * whose responses go back to the CA-role James. Both James resolve DKIM keys with the CA James's dnsmasq,
 * which serves ca.example's key and {@value #DOMAIN}'s ({@link CaJamesProcess#SEL}).
 */
final class BenchmarkChain implements AutoCloseable {

    static final String DOMAIN = "example.test";
    private static final String STORE_PASSWORD = "bench-trust";

    final TestCaProcess ca;
    final CaJamesProcess caJames;
    final WebAdminClient orgWebAdmin;
    private final Path work;
    private final JamesLauncher org;

    private BenchmarkChain(Path work, TestCaProcess ca, CaJamesProcess caJames, JamesLauncher org, int orgWebAdmin) {
        this.work = work;
        this.ca = ca;
        this.caJames = caJames;
        this.org = org;
        this.orgWebAdmin = WebAdminClient.keepAlive(orgWebAdmin);
    }

    /**
     * Starts the three.
     *
     * @param enrolment        the org James's {@code enrolment.*} lines besides the profile's directory, domain and trust
     * @param testCa    settings of the test CA besides its ports and TLS (e.g. {@code challenge.lifetime})
     */
    static BenchmarkChain start(String enrolment, Map<String, String> testCa, String javaOpts) throws Exception {
        Path work = Files.createTempDirectory("acme-smime-enrolment-bench");
        int caSmtp = FreePorts.tcp();
        int orgSmtp = FreePorts.tcp();
        int orgWebAdmin = FreePorts.tcp();
        Map<String, String> caSettings = new HashMap<>(testCa);
        caSettings.putAll(Map.of("http.port", Integer.toString(FreePorts.tcp()), "tls", "true",
                "management.port", Integer.toString(FreePorts.tcp()), "smtp.port", Integer.toString(caSmtp)));
        TestCaProcess ca = TestCaProcess.start(caSettings);
        CaJamesProcess caJames = null;
        try {
            Path trust = trustStore(work, ca.rootPem());
            caJames = CaJamesProcess.start(new CaJamesProcess.Wiring("native", ca.resultUrl().toString(), caSmtp,
                    orgSmtp, String.join("\n", "forward.trustStore=" + trust,
                    "forward.trustStorePasswordFile=" + work.resolve("trust.password")), 10_000_000));
            Path conf = work.resolve("conf-org");
            OrgJames.writeConf(conf, new OrgJames.Settings(orgSmtp, FreePorts.tcp(), orgWebAdmin, caJames.dns.server(),
                    caSmtp, 0, 0));
            replaceOnce(conf.resolve("domainlist.xml"), "<domainname>org.example</domainname>",
                    "<domainname>org.example</domainname><domainname>" + DOMAIN + "</domainname>");
            Files.writeString(conf.resolve("acme-smime.properties"), String.join("\n", "", enrolment,
                    "enrolment.profile.bench.directory=" + ca.directory(),
                    "enrolment.profile.bench.domains=" + DOMAIN,
                    "enrolment.profile.bench.trustStore=" + ca.rootPem(),
                    "enrolment.profile.bench.termsOfServiceAgreed=true", ""), StandardOpenOption.APPEND);
            Path home = work.resolve("org-home");
            Path keys = Files.createDirectories(home.resolve("var/dkim"));
            Files.copy(caJames.dns.key("user").pkcs8(), keys.resolve(CaJamesProcess.SEL + "._domainkey." + DOMAIN + ".pem"));
            JamesLauncher org = new JamesLauncher(home, work);
            JamesLauncher.Launch start = org.start(conf, javaOpts);
            if (start.exitCode() != 0) {
                throw new IllegalStateException("bin/james start (org) failed: " + start.output() + "\n" + org.log());
            }
            return new BenchmarkChain(work, ca, caJames, org, orgWebAdmin);
        } catch (Exception | AssertionError e) {
            try (TestCaProcess c = ca; CaJamesProcess j = caJames) {
                TempDirs.delete(work);
            }
            throw e;
        }
    }

    long orgPid() {
        return org.process().orElseThrow().pid();
    }

    long caJamesPid() throws IOException {
        return Long.parseLong(Files.readString(caJames.home().resolve("james.pid")).strip());
    }

    String orgLog() throws IOException {
        return org.log();
    }

    /** The test CA's root as a PKCS#12 store for the CA James's forwarder, and its password file. */
    private static Path trustStore(Path work, Path rootPem) throws IOException, InterruptedException {
        Path store = work.resolve("test-ca-root.p12");
        Files.writeString(work.resolve("trust.password"), STORE_PASSWORD);
        Process p = new ProcessBuilder("keytool", "-importcert", "-noprompt", "-storetype", "PKCS12", "-alias", "test-ca",
                "-file", rootPem.toString(), "-keystore", store.toString(), "-storepass", STORE_PASSWORD)
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IllegalStateException("keytool: " + out);
        }
        return store;
    }

    @Override
    public void close() throws Exception {
        try (TestCaProcess c = ca; CaJamesProcess j = caJames) {
            org.stop();
        } finally {
            TempDirs.delete(work);
        }
    }
}
