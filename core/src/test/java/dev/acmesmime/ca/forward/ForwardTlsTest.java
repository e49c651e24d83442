package dev.acmesmime.ca.forward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Properties;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.acmesmime.store.AuditEvent;
import dev.acmesmime.store.AcmeSmimeStore;
import dev.acmesmime.store.AuditRecord;
import dev.acmesmime.store.OutboxItem;
import dev.acmesmime.store.OutboxState;
import dev.acmesmime.store.RetryPolicy;
import dev.acmesmime.testing.MutableClock;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.tls.HandshakeCertificates;
import okhttp3.tls.HeldCertificate;

/**
 * Issue 6: "TLS verification stays on; an extra trust store may be configured". The ACME server is
 * a real HTTPS server on loopback (MockWebServer) whose certificate chains to a private CA that the
 * JDK does not trust. {@code forward.trustStore} (PKCS#12) adds that CA to the JDK's anchors; it
 * never turns certificate or host name verification off.
 */
class ForwardTlsTest {
    private static final RetryPolicy POLICY = ForwardFixtures.POLICY;
    private static final String PASSWORD = "trust-store-pass";

    @TempDir
    Path home;
    MutableClock clock;
    AcmeSmimeStore store;
    MockWebServer server;
    HeldCertificate privateCa;

    @BeforeEach
    void setUp() throws IOException {
        clock = new MutableClock(ForwardFixtures.CREATED.plus(Duration.ofMinutes(5)));
        store = ForwardFixtures.openStore(home, clock);
        Files.writeString(home.resolve("trust.password"), PASSWORD + "\n");
        privateCa = new HeldCertificate.Builder().certificateAuthority(0).commonName("ACME server test CA").build();
    }

    @AfterEach
    void tearDown() throws IOException {
        if (server != null) {
            server.shutdown();
        }
        store.close();
    }

    /** An HTTPS ACME server whose certificate, issued by {@code issuer}, names {@code hosts}. */
    private void startHttps(HeldCertificate issuer, String... hosts) throws IOException {
        HeldCertificate.Builder leaf = new HeldCertificate.Builder().signedBy(issuer).commonName(hosts[0]);
        for (String h : hosts) {
            leaf.addSubjectAlternativeName(h);
        }
        HandshakeCertificates certs = new HandshakeCertificates.Builder()
                .heldCertificate(leaf.build(), issuer.certificate()).build();
        server = new MockWebServer();
        server.useHttps(certs.sslSocketFactory(), false);
        server.start(InetAddress.getLoopbackAddress(), 0);
    }

    private Path trustStoreWith(X509Certificate anchor, String name) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setCertificateEntry("anchor", anchor);
        Path file = home.resolve(name);
        try (OutputStream out = Files.newOutputStream(file)) {
            ks.store(out, PASSWORD.toCharArray());
        }
        return file;
    }

    private ForwardTarget target(String trustStore) {
        Properties p = new Properties();
        p.setProperty(ForwardTarget.URL, "https://127.0.0.1:" + server.getPort() + "/hook");
        p.setProperty(ForwardTarget.SECRET_FILE, "forward.secret");
        p.setProperty(ForwardTarget.KEY_ID, "k1");
        if (trustStore != null) {
            p.setProperty(ForwardTarget.TRUST_STORE, trustStore);
            p.setProperty(ForwardTarget.TRUST_STORE_PASSWORD_FILE, "trust.password");
        }
        return ForwardTarget.fromProperties(p, home);
    }

    private DeliveryWorker worker(ForwardTarget target) {
        return ForwardFixtures.worker(store, target, clock, POLICY);
    }

    private OutboxItem enqueue(String id) {
        return ForwardFixtures.enqueue(store, ForwardContract.NATIVE, id, clock.instant());
    }

    private List<AuditRecord> audit(String event) {
        return ForwardFixtures.audit(store, event);
    }

    @Test
    void withTheExtraTrustStore_theResultIsDeliveredOverHttps() throws Exception {
        startHttps(privateCa, "127.0.0.1", "localhost");
        trustStoreWith(privateCa.certificate(), "acme-server-trust.p12");
        server.enqueue(new MockResponse().setResponseCode(200).setBody("{\"outcome\":\"valid\"}"));
        OutboxItem item = enqueue("tls-1");

        assertThat(worker(target("acme-server-trust.p12")).runOnce()).isEqualTo(1);

        assertThat(server.getRequestCount()).isEqualTo(1);
        assertThat(server.takeRequest().getRequestUrl().isHttps()).isTrue();
        assertThat(store.outbox().find(item.id()).orElseThrow().state()).isEqualTo(OutboxState.DONE);
        assertThat(audit(AuditEvent.FORWARD_DELIVERED.value())).singleElement()
                .satisfies(a -> assertThat(a.outcome()).contains("valid"));
    }

    @Test
    void withoutIt_theTlsErrorIsTheItemsLastError_theItemIsKept_andDeliveredOnceTheAnchorIsConfigured()
            throws Exception {
        startHttps(privateCa, "127.0.0.1", "localhost");
        OutboxItem item = enqueue("tls-2");

        assertThat(worker(target(null)).runOnce()).isEqualTo(1);

        assertThat(server.getRequestCount()).as("no HTTP request got through the handshake").isZero();
        OutboxItem after = store.outbox().find(item.id()).orElseThrow();
        assertThat(after.state()).isEqualTo(OutboxState.PENDING);
        assertThat(after.lastError().orElseThrow()).startsWith("SSLHandshakeException sending to https://127.0.0.1:")
                .contains("PKIX path building failed");
        assertThat(audit(AuditEvent.FORWARD_ATTEMPT_FAILED.value())).singleElement().satisfies(a -> {
            assertThat(a.outcome()).contains("io-error");
            assertThat(a.detail().orElseThrow()).contains("SSLHandshakeException");
        });

        // not lost: once the operator adds the anchor, the same item is delivered
        trustStoreWith(privateCa.certificate(), "acme-server-trust.p12");
        server.enqueue(new MockResponse().setResponseCode(200).setBody("{\"outcome\":\"valid\"}"));
        clock.advance(Duration.ofSeconds(16)); // 10 s back-off + at most 50 % jitter
        assertThat(worker(target("acme-server-trust.p12")).runOnce()).isEqualTo(1);
        assertThat(server.getRequestCount()).isEqualTo(1);
        assertThat(store.outbox().find(item.id()).orElseThrow().state()).isEqualTo(OutboxState.DONE);
    }

    @Test
    void theExtraTrustStore_neverDisablesVerification_otherAnchorOrWrongHostNameIsRefused() throws Exception {
        // a certificate from the trusted CA but for another host: host name verification stays on
        startHttps(privateCa, "acme.other.example");
        trustStoreWith(privateCa.certificate(), "acme-server-trust.p12");
        OutboxItem wrongHost = enqueue("tls-3");
        worker(target("acme-server-trust.p12")).runOnce();
        assertThat(store.outbox().find(wrongHost.id()).orElseThrow().lastError().orElseThrow())
                .startsWith("SSLPeerUnverifiedException").contains("Hostname 127.0.0.1 not verified");
        server.shutdown();

        // a trust store with an unrelated anchor: the chain is still checked, against both sets of anchors
        startHttps(privateCa, "127.0.0.1");
        HeldCertificate otherCa = new HeldCertificate.Builder().certificateAuthority(0).commonName("unrelated CA")
                .build();
        trustStoreWith(otherCa.certificate(), "other-trust.p12");
        OutboxItem otherAnchor = enqueue("tls-4");
        clock.advance(Duration.ofMinutes(1));
        worker(target("other-trust.p12")).runOnce();
        assertThat(server.getRequestCount()).isZero();
        assertThat(store.outbox().find(otherAnchor.id()).orElseThrow().lastError().orElseThrow())
                .startsWith("SSLHandshakeException");
        assertThat(store.outbox().listPending(10)).extracting(OutboxItem::id)
                .containsExactlyInAnyOrder(wrongHost.id(), otherAnchor.id());
    }

    @Test
    void aTrustStoreThatCannotBeOpened_isRefusedAtStartUp_namingTheKey() throws Exception {
        startHttps(privateCa, "127.0.0.1");
        trustStoreWith(privateCa.certificate(), "acme-server-trust.p12");
        Files.writeString(home.resolve("trust.password"), "not-the-password\n", StandardCharsets.UTF_8);
        ForwardTarget target = target("acme-server-trust.p12");
        assertThatThrownBy(() -> new ForwardClient(target, clock)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(ForwardTarget.TRUST_STORE + ": cannot load ");
        Properties p = new Properties();
        p.setProperty(ForwardTarget.URL, "https://127.0.0.1:1/hook");
        p.setProperty(ForwardTarget.SECRET_FILE, "forward.secret");
        p.setProperty(ForwardTarget.TRUST_STORE, "missing.p12");
        assertThatThrownBy(() -> ForwardTarget.fromProperties(p, home)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(ForwardTarget.TRUST_STORE + ": cannot read ");
    }
}
