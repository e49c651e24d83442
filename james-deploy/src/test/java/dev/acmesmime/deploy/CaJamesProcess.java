package dev.acmesmime.deploy;

import static dev.acmesmime.testing.ConfFiles.replaceOnce;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.subethamail.wiser.Wiser;

import dev.acmesmime.demo.DemoConf;
import dev.acmesmime.testing.DkimDns;
import dev.acmesmime.testing.FreePorts;
import dev.acmesmime.testing.SecretScan;
import dev.acmesmime.testing.SecretScan.Place;
import dev.acmesmime.testing.SecretScan.Secret;
import dev.acmesmime.testing.TempDirs;
import dev.acmesmime.testing.WebAdminClient;

/**
 * A James 3.8.1 process of the CA role and what it talks to: {@code bin/james} with a copy of
 * {@code conf/ca} (free loopback ports, the ACME server URL, dnsmasq as DKIM resolver, an SMTP sink as
 * RemoteDelivery's gateway, short forward back-off and poll), the {@link MockAcmeServer}, and dnsmasq
 * serving the CA's key (conf/ca's sample) and the users' key. {@link CaJames} hands it to test classes.
 */
final class CaJamesProcess implements ExtensionContext.Store.CloseableResource, AutoCloseable {

    /** The selector of the users' key, published for example.test, mail.example.test and other.test. */
    static final String SEL = "s1";
    /** The whole audit export: every record and evidence record of the run. */
    private static final String EXPORT = "/acme-smime/audit/export?limit=10000";

    final Path caConf = Path.of(System.getProperty("james.ca.conf", "../conf/ca")).toAbsolutePath();
    final MockAcmeServer acme = new MockAcmeServer();
    final DkimDns dns = DkimDns.keys(k -> k.rsa("user", 2048))
            .txt("acme-sample", "ca.example", d -> publicKeyRecord(caConf.resolve("dkim/acme-sample.pem")))
            .publish(SEL, "example.test", "user")
            .publish(SEL, "mail.example.test", "user")
            .publish(SEL, "other.test", "user");
    final Wiser sink = new Wiser();
    final int smtpPort;
    final WebAdminClient webAdmin;
    final String secret;
    private final Wiring wiring;
    private final Path work;
    private final Path conf;
    private final JamesLauncher james;

    /**
     * How this James is wired to its neighbours.
     *
     * @param contract        {@code forward.contract}: {@code native}, {@code akamu} or {@code raw}
     * @param forwardUrl      where James forwards results; null: the {@link MockAcmeServer}
     * @param smtpPort        James's SMTP port; 0: a free one
     * @param gatewayPort     RemoteDelivery's gateway port (e.g. an organisation James); 0: the {@link #sink}
     * @param extraProperties lines appended to the copy's acme-smime.properties (e.g. {@code forward.trustStore})
     * @param domainLimit     AcmeChallengeSigner's challenges per domain; 0: as conf/ca ships it
     */
    record Wiring(String contract, String forwardUrl, int smtpPort, int gatewayPort, String extraProperties,
                  int domainLimit) {
        static Wiring of(String contract, String forwardUrl) {
            return new Wiring(contract, forwardUrl, 0, 0, "", 0);
        }
    }

    private CaJamesProcess(Wiring wiring) throws Exception {
        this.wiring = wiring;
        Assembly.fromBuild(); // fail early with a clear message when not run after `package`
        work = Files.createTempDirectory("acme-smime-ca");
        conf = work.resolve("conf");
        james = new JamesLauncher(work.resolve("home"), work);
        smtpPort = wiring.smtpPort() != 0 ? wiring.smtpPort() : FreePorts.tcp();
        webAdmin = new WebAdminClient(FreePorts.tcp());
        dns.start();
        acme.start(0);
        sink.setPort(FreePorts.tcp());
        sink.getServer().setBindAddress(InetAddress.getLoopbackAddress());
        sink.start();
        copyConf();
        secret = Files.readString(conf.resolve("acme-smime-forward.secret")).strip();
    }

    /** Starts James forwarding with {@code forward.contract} {@code native}, {@code akamu} or {@code raw}. */
    static CaJamesProcess start(String contract) throws Exception {
        return start(contract, null);
    }

    /** Starts James forwarding to {@code forwardUrl} (a real ACME server, the test CA) instead of the mock. */
    static CaJamesProcess start(String contract, String forwardUrl) throws Exception {
        return start(Wiring.of(contract, forwardUrl));
    }

    /** Starts James wired as {@code wiring} says. */
    static CaJamesProcess start(Wiring wiring) throws Exception {
        CaJamesProcess p = new CaJamesProcess(wiring);
        try {
            p.startJames();
            return p;
        } catch (Exception | AssertionError e) {
            p.close();
            throw e;
        }
    }

    /**
     * Ports chosen and conf copied, James not started: for a chain whose other parts need this James's SMTP
     * port before they start, and which this James needs (their DNS, their trust anchors) in turn.
     */
    static CaJamesProcess prepare(String contract, String forwardUrl) throws Exception {
        return new CaJamesProcess(Wiring.of(contract, forwardUrl));
    }

    /**
     * Rewires the copy of conf/ca before {@link #startJames()}: DKIM keys from {@code dnsServer} (one that
     * publishes the CA's key too) and RemoteDelivery's gateway at {@code gatewayPort} on loopback (the
     * organisation's side) instead of this fixture's own dnsmasq and sink; {@code properties} appended
     * to acme-smime.properties.
     */
    void wire(String dnsServer, int gatewayPort, String properties) throws IOException {
        Path mailets = conf.resolve("mailetcontainer.xml");
        replaceOnce(mailets, "<dnsServer>" + dns.server() + "</dnsServer>", "<dnsServer>" + dnsServer + "</dnsServer>");
        replaceOnce(mailets, "<gatewayPort>" + sink.getServer().getPort() + "</gatewayPort>",
                "<gatewayPort>" + gatewayPort + "</gatewayPort>");
        Files.writeString(conf.resolve("acme-smime.properties"), "\n" + properties + "\n", StandardOpenOption.APPEND);
    }

    /**
     * Makes the copy of conf/ca a CA's at {@code domain} before {@link #startJames()}, as its comments tell an
     * admin: the local domain, the response addresses (acme@, acme+*@), the challenges' envelope sender,
     * and the challenge signing key (selector acme-sample, d= the challenge's From domain) from
     * {@code dkimKey} (PEM) instead of the shipped sample.
     */
    void asDomain(String domain, Path dkimKey) throws IOException {
        DemoConf.caDomain(conf, domain);
        Files.copy(dkimKey, conf.resolve("dkim/acme-sample.pem"), StandardCopyOption.REPLACE_EXISTING);
    }

    void startJames() throws Exception {
        JamesLauncher.Launch start = james.start(conf, System.getProperty("acme.james.javaOpts",
                "-Xmx384m -XX:+UseSerialGC"));
        assertThat(start.exitCode()).as("bin/james start: %s", start.output()).isZero();
    }

    void stopJames() throws Exception {
        JamesLauncher.Launch stop = james.stop();
        assertThat(stop.exitCode()).as("bin/james stop: %s", stop.output()).isZero();
    }

    /**
     * {@code kill -9} of James, as a crash or the OOM killer ends it: no shutdown hook runs, leases and
     * half-done work stay in the store. {@link #startJames()} brings it back on the same home.
     */
    void killJames() throws Exception {
        james.kill();
    }

    /** The copy of conf/ca James runs; a test changes it between {@link #stopJames()} and {@link #startJames()}. */
    Path conf() {
        return conf;
    }

    Path home() {
        return james.home();
    }

    String log() throws IOException {
        return james.log();
    }

    /**
     * Issue 14 §5: none of this James's secrets (master key, forward secret, the CA's DKIM keys) and no
     * private key in its logs, its audit export or its mail repositories.
     */
    void checkSecrets() throws Exception {
        List<Secret> secrets = new ArrayList<>(JamesSecrets.dkimKeys(conf.resolve("dkim")));
        secrets.add(JamesSecrets.masterKey(conf, home()));
        secrets.add(Secret.file("forward secret", conf.resolve("acme-smime-forward.secret")));
        List<Place> places = new ArrayList<>(JamesSecrets.places(home()));
        places.add(Place.text("GET " + EXPORT, webAdmin.getOk(EXPORT)));
        new SecretScan(secrets).check(places);
    }

    /** Stops James (killing it if it does not stop), the servers, and removes its files. */
    @Override
    public void close() throws Exception {
        try {
            stopJames();
        } finally {
            try {
                sink.stop();
                acme.close();
                dns.close();
            } finally {
                TempDirs.delete(work);
            }
        }
    }

    private void copyConf() throws IOException {
        DemoConf.copy(caConf, conf);
        replaceOnce(conf.resolve("smtpserver.xml"), "<bind>127.0.0.1:2525</bind>", "<bind>127.0.0.1:" + smtpPort + "</bind>");
        replaceOnce(conf.resolve("imapserver.xml"), "<bind>127.0.0.1:1143</bind>", "<bind>127.0.0.1:" + FreePorts.tcp() + "</bind>");
        replaceOnce(conf.resolve("webadmin.properties"), "\nport=8001\n", "\nport=" + webAdmin.port() + "\n");
        Path mailets = conf.resolve("mailetcontainer.xml");
        replaceOnce(mailets, "<dnsServer>127.0.0.1:53</dnsServer>", "<dnsServer>" + dns.server() + "</dnsServer>");
        replaceOnce(mailets, "<outgoing>outgoing</outgoing>", "<outgoing>outgoing</outgoing>"
                + "<gateway>127.0.0.1</gateway><gatewayPort>"
                + (wiring.gatewayPort() != 0 ? wiring.gatewayPort() : sink.getServer().getPort()) + "</gatewayPort>");
        if (wiring.domainLimit() != 0) {
            replaceOnce(mailets, "<domainLimit>600</domainLimit>", "<domainLimit>" + wiring.domainLimit() + "</domainLimit>");
        }
        replaceOnce(mailets, "<temperrorDelayMinutes>10</temperrorDelayMinutes>",
                "<temperrorDelayMinutes>1</temperrorDelayMinutes>");
        Path props = conf.resolve("acme-smime.properties");
        String url = wiring.forwardUrl() != null ? wiring.forwardUrl()
                : "http://127.0.0.1:" + acme.port() + "/acme/mail-result";
        replaceOnce(props, "forward.url=http://127.0.0.1:8080/acme/mail-result", "forward.url=" + url);
        replaceOnce(props, "forward.contract=native", "forward.contract=" + wiring.contract());
        replaceOnce(props, "forward.retry.initialSeconds=30", "forward.retry.initialSeconds=1");
        replaceOnce(props, "forward.retry.maxSeconds=1800", "forward.retry.maxSeconds=2");
        replaceOnce(props, "forward.pollMillis=1000", "forward.pollMillis=200");
        Files.writeString(props, "\n" + wiring.extraProperties() + "\n", StandardOpenOption.APPEND);
    }

    /** The DKIM TXT record ({@code v=DKIM1; k=rsa; p=…}) of the RSA key in {@code pem}. */
    static String publicKeyRecord(Path pem) {
        try {
            Process p = new ProcessBuilder("openssl", "rsa", "-in", pem.toString(), "-pubout", "-outform", "DER")
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            byte[] der = p.getInputStream().readAllBytes();
            assertThat(p.waitFor()).isZero();
            return "v=DKIM1; k=rsa; p=" + Base64.getEncoder().encodeToString(der);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
