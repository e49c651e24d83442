package dev.acmesmime.testca.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.File;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real HTTPS server on the TLS identity; clients trusting root.pem, or tls.pem, connect by name and by IP. */
class TlsIdentityTest {
    private static final CertificateAuthority CA = CertificateAuthority.generate(Clock.systemUTC());
    private static TlsIdentity identity;
    private static HttpsServer server;

    @BeforeAll
    static void serve() throws Exception {
        identity = CA.tlsIdentity(List.of("localhost", "127.0.0.1"));
        server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(identity.context()));
        server.createContext("/", exchange -> {
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.start();
    }

    @AfterAll
    static void stop() {
        server.stop(0);
    }

    @Test
    void aClientTrustingTheRootConnectsByNameAndByIp() throws Exception {
        SSLContext client = trusting(List.of(CA.root()));
        assertThat(get(client, "localhost")).isEqualTo(204);
        assertThat(get(client, "127.0.0.1")).isEqualTo(204);
    }

    @Test
    void aClientTrustingTlsPemConnects() throws Exception {
        List<Certificate> pem = List.copyOf(CertificateFactory.getInstance("X.509").generateCertificates(
                new ByteArrayInputStream(identity.pem().getBytes(StandardCharsets.US_ASCII))));
        assertThat(pem).hasSize(1);
        assertThat(get(trusting(pem), "localhost")).isEqualTo(204);
    }

    @Test
    void opensslAcceptsTheServerAgainstRootPem(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("root.pem"), Pem.of(List.of(CA.root())));
        Process p = new ProcessBuilder("openssl", "s_client", "-connect", "127.0.0.1:" + server.getAddress().getPort(),
                "-CAfile", "root.pem", "-verify_hostname", "localhost", "-verify_return_error")
                .directory(dir.toFile()).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(
                        new File("/dev/null"))).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(out).contains("Verify return code: 0 (ok)");
        assertThat(p.exitValue()).as(out).isZero();
    }

    @Test
    void aClientTrustingAnotherRootIsRefused() throws Exception {
        SSLContext client = trusting(List.of(CertificateAuthority.generate(Clock.systemUTC()).root()));
        assertThatThrownBy(() -> get(client, "localhost")).isInstanceOf(SSLHandshakeException.class);
    }

    private static int get(SSLContext client, String host) throws Exception {
        HttpClient http = HttpClient.newBuilder().sslContext(client).build();
        URI uri = URI.create("https://" + host + ":" + server.getAddress().getPort() + "/");
        return http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static SSLContext trusting(List<? extends Certificate> anchors) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        for (int i = 0; i < anchors.size(); i++) {
            store.setCertificateEntry("anchor" + i, anchors.get(i));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }
}
