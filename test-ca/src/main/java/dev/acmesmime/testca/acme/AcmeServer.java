package dev.acmesmime.testca.acme;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.acmesmime.ca.forward.NativeSignatureVerifier;
import dev.acmesmime.store.SecretBytes;
import dev.acmesmime.testca.TestCa;
import dev.acmesmime.testca.TestCaConfigurationException;
import dev.acmesmime.testca.TestCaSettings;
import dev.acmesmime.testca.mail.ChallengeMailer;
import dev.acmesmime.testca.mail.ResultReceiver;
import dev.acmesmime.testca.pki.CertificateAuthority;
import dev.acmesmime.testca.pki.Pem;
import dev.acmesmime.testca.pki.TlsIdentity;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP side of the test CA: the RFC 8555 resources, the result endpoint and the management port, on the
 * JDK's HTTP server. {@link #start} generates the CA ({@code pki}), writes {@code dataDir/root.pem},
 * {@code intermediate.pem} and (with {@code tls}) {@code tls.pem}, binds both ports and returns when they
 * serve. It prints nothing; {@code TestCaMain} does.
 */
public final class AcmeServer implements TestCa {
    private static final Logger LOG = LoggerFactory.getLogger(AcmeServer.class);
    private static final int THREADS = 8;

    private final HttpServer acme;
    private final HttpServer management;
    private final ExecutorService httpThreads;
    private final ScheduledExecutorService mailer;
    private final Urls urls;
    private final TestCaSettings settings;

    private AcmeServer(HttpServer acme, HttpServer management, ExecutorService httpThreads,
                       ScheduledExecutorService mailer, Urls urls, TestCaSettings settings) {
        this.acme = acme;
        this.management = management;
        this.httpThreads = httpThreads;
        this.mailer = mailer;
        this.urls = urls;
        this.settings = settings;
    }

    public static TestCa start(TestCaSettings settings) {
        Clock clock = Clock.systemUTC();
        return start(settings, clock, new ChallengeMailer(settings, clock)::send);
    }

    /** Starts with another sender of challenge mails (tests that need no SMTP relay). */
    public static TestCa start(TestCaSettings settings, Clock clock, ChallengeSender sender) {
        CertificateAuthority ca = CertificateAuthority.generate(clock);
        Optional<TlsIdentity> tls = settings.tls()
                ? Optional.of(ca.tlsIdentity(Arrays.asList(settings.tlsHosts().split("\\s*,\\s*"))))
                : Optional.empty();
        writeFiles(settings.dataDir(), ca, tls);
        ExecutorService threads = Executors.newFixedThreadPool(THREADS, daemon("test-ca-http"));
        ScheduledExecutorService mailer = Executors.newScheduledThreadPool(2, daemon("test-ca-mail"));
        HttpServer acme = bind(settings.bindAddress(), settings.httpPort(), tls, "http.port");
        Urls urls = new Urls((settings.tls() ? "https://" : "http://") + host(settings) + ":"
                + acme.getAddress().getPort());
        AcmeRoutes routes = new AcmeRoutes(settings, urls, clock, ca, sender, mailer, resultEndpoint(settings));
        RequestGauge gauge = new RequestGauge(routes.router, settings.faults().requestDelay());
        acme.createContext("/", gauge);
        acme.setExecutor(threads);
        HttpServer management = bind("127.0.0.1", settings.managementPort(), Optional.empty(), "management.port");
        management.createContext("/", new ManagementServer(ca, routes.certificates, () -> stats(routes, gauge))
                .router());
        management.setExecutor(threads);
        acme.start();
        management.start();
        AcmeServer server = new AcmeServer(acme, management, threads, mailer, urls, settings);
        LOG.info("test-ca serving directory={} management={}", server.directory(), server.management());
        return server;
    }

    private static Optional<Function<Challenges, ResultEndpoint>> resultEndpoint(TestCaSettings settings) {
        if (settings.forwardKeyFile().isEmpty()) {
            return Optional.empty();
        }
        Path file = settings.forwardKeyFile().get();
        SecretBytes key;
        try {
            // read as the CA-role James reads forward.secretFile: UTF-8 text, surrounding blanks dropped
            String text = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (text.isEmpty()) {
                throw new TestCaConfigurationException("forward.hmacKeyFile: " + file + " is empty");
            }
            key = SecretBytes.of(text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new TestCaConfigurationException("forward.hmacKeyFile: cannot read " + file);
        }
        NativeSignatureVerifier verifier = NativeSignatureVerifier.builder().key(settings.forwardKeyId(), key).build();
        return Optional.of(challenges -> new ResultEndpoint(new ResultReceiver(verifier, challenges::byTokenPart1)));
    }

    private static ObjectNode stats(AcmeRoutes routes, RequestGauge gauge) {
        ObjectNode o = new ObjectMapper().createObjectNode();
        o.put("accounts", routes.accounts.count());
        o.put("orders", routes.orders.count());
        o.put("certificates", routes.certificates.count());
        o.put("challengeMails", routes.challenges.mailsSent());
        o.put("delayedRequests", gauge.waiting());
        o.put("delayedRequestsMax", gauge.max());
        return o;
    }

    private static HttpServer bind(String address, int port, Optional<TlsIdentity> tls, String key) {
        try {
            InetSocketAddress at = new InetSocketAddress(address, port);
            if (tls.isEmpty()) {
                return HttpServer.create(at, 64);
            }
            HttpsServer https = HttpsServer.create(at, 64);
            https.setHttpsConfigurator(new HttpsConfigurator(tls.get().context()));
            return https;
        } catch (IOException e) {
            throw new TestCaConfigurationException(key + ": cannot listen on " + address + ":" + port + ": "
                    + e.getMessage());
        }
    }

    /** The host clients are told: the first TLS name (the certificate has it), else the bound address. */
    private static String host(TestCaSettings s) {
        String host = s.tls() ? s.tlsHosts().split("\\s*,\\s*")[0] : s.bindAddress();
        if (host.equals("0.0.0.0") || host.equals("::")) {
            host = "localhost";
        }
        return host.contains(":") ? "[" + host + "]" : host;
    }

    private static void writeFiles(Path dir, CertificateAuthority ca, Optional<TlsIdentity> tls) {
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("root.pem"), Pem.of(List.of(ca.root())), StandardCharsets.US_ASCII);
            Files.writeString(dir.resolve("intermediate.pem"), Pem.of(List.of(ca.intermediate())),
                    StandardCharsets.US_ASCII);
            if (tls.isPresent()) {
                Files.writeString(dir.resolve("tls.pem"), tls.get().pem(), StandardCharsets.US_ASCII);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write to dataDir " + dir, e);
        }
    }

    private static ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    @Override
    public URI directory() {
        return urls.of(Urls.DIRECTORY);
    }

    @Override
    public URI resultUrl() {
        return urls.of(Urls.MAIL_RESULT);
    }

    @Override
    public URI management() {
        return URI.create("http://127.0.0.1:" + management.getAddress().getPort());
    }

    @Override
    public Path rootPem() {
        return settings.dataDir().resolve("root.pem");
    }

    @Override
    public Path tlsPem() {
        return settings.dataDir().resolve("tls.pem");
    }

    @Override
    public void close() {
        acme.stop(0);
        management.stop(0);
        mailer.shutdownNow();
        httpThreads.shutdownNow();
        LOG.info("test-ca stopped");
    }
}
