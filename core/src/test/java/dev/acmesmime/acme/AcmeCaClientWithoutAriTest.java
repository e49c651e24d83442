package dev.acmesmime.acme;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okhttp3.tls.HandshakeCertificates;
import okhttp3.tls.HeldCertificate;

/**
 * {@link AcmeCaClient} against a minimal ACME server on HTTPS that the test CA cannot play: no
 * {@code renewalInfo} in its directory (no ARI, RFC 9773), no terms of service, and only an {@code http-01}
 * challenge for an email identifier.
 */
class AcmeCaClientWithoutAriTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    private MockWebServer server;
    private HeldCertificate ca;
    private final List<JsonNode> newOrderPayloads = new CopyOnWriteArrayList<>();
    private final AtomicInteger nonce = new AtomicInteger();

    @BeforeEach
    void startServer() throws IOException {
        ca = new HeldCertificate.Builder().certificateAuthority(0).commonName("no-ARI ACME server CA").build();
        HeldCertificate leaf = new HeldCertificate.Builder().signedBy(ca).commonName("localhost")
                .addSubjectAlternativeName("localhost").addSubjectAlternativeName("127.0.0.1").build();
        server = new MockWebServer();
        server.useHttps(new HandshakeCertificates.Builder().heldCertificate(leaf, ca.certificate()).build()
                .sslSocketFactory(), false);
        server.setDispatcher(new MinimalAcme());
        server.start(InetAddress.getLoopbackAddress(), 0);
    }

    @AfterEach
    void stopServer() throws IOException {
        server.shutdown();
    }

    private AcmeCaClient client() throws IOException {
        Files.writeString(dir.resolve("ca.pem"), ca.certificatePem());
        Properties p = new Properties();
        p.setProperty("enrolment.profile.plain.directory", server.url("/dir").toString());
        p.setProperty("enrolment.profile.plain.domains", "org.test");
        p.setProperty("enrolment.profile.plain.trustStore", "ca.pem");
        return new AcmeCaClient(CaProfiles.parse(p, dir).named("plain").orElseThrow(), new NoKeys());
    }

    @Test
    void withoutRenewalInfoThereIsNoWindow() throws IOException {
        assertThat(client().renewalInfo(ca.certificate())).isEmpty();
    }

    @Test
    void withoutTermsTheAccountNeedsNoAgreement() throws IOException {
        assertThat(client().account().url()).hasToString(server.url("/acct/1").toString());
    }

    @Test
    void withoutRenewalInfoAnOrderDoesNotNameWhatItReplaces() throws IOException {
        AcmeCaClient client = client();

        Optional<String> replaces = Optional.of("aYhba4dGQEHhs3uEe6CuLN4ByNQ.AIdlQyE");
        assertThatThrownBy(() -> client.placeOrder("alice@org.test", replaces))
                .isInstanceOf(CaException.class);

        assertThat(newOrderPayloads).singleElement().satisfies(p -> {
            assertThat(p.path("identifiers").get(0).path("type").asText()).isEqualTo("email");
            assertThat(p.has("replaces")).isFalse();
        });
    }

    @Test
    void noEmailReply00ChallengeIsUnsupportedChallenge() throws IOException {
        AcmeCaClient client = client();

        assertThatThrownBy(() -> client.placeOrder("alice@org.test", Optional.empty()))
                .isInstanceOf(CaException.class)
                .extracting(e -> ((CaException) e).problem())
                .satisfies(p -> assertThat(p.type()).isEqualTo(CaProblem.UNSUPPORTED_CHALLENGE))
                .satisfies(p -> assertThat(p.detail())
                        .isEqualTo("the CA offers [http-01] for alice@org.test, no email-reply-00"));
    }

    /** The few ACME resources the client needs to reach the challenge; every answer carries a nonce. */
    private final class MinimalAcme extends Dispatcher {
        @Override
        public MockResponse dispatch(RecordedRequest request) {
            String path = request.getPath();
            String base = server.url("/").toString().replaceAll("/$", "");
            MockResponse r = new MockResponse().setHeader("Replay-Nonce", "n" + nonce.incrementAndGet())
                    .setHeader("Content-Type", "application/json");
            switch (path) {
                case "/dir":
                    return r.setBody("{\"newNonce\":\"" + base + "/nonce\",\"newAccount\":\"" + base + "/acct\","
                            + "\"newOrder\":\"" + base + "/order\",\"revokeCert\":\"" + base + "/revoke\","
                            + "\"meta\":{}}");
                case "/nonce":
                    return r.setResponseCode(200);
                case "/acct":
                    return r.setResponseCode(201).setHeader("Location", base + "/acct/1")
                            .setBody("{\"status\":\"valid\"}");
                case "/order":
                    newOrderPayloads.add(payload(request));
                    return r.setResponseCode(201).setHeader("Location", base + "/order/1").setBody("{\"status\":"
                            + "\"pending\",\"expires\":\"2030-01-01T00:00:00Z\",\"identifiers\":[{\"type\":\"email\","
                            + "\"value\":\"alice@org.test\"}],\"authorizations\":[\"" + base + "/authz/1\"],"
                            + "\"finalize\":\"" + base + "/order/1/finalize\"}");
                case "/authz/1":
                    return r.setBody("{\"status\":\"pending\",\"expires\":\"2030-01-01T00:00:00Z\",\"identifier\":"
                            + "{\"type\":\"email\",\"value\":\"alice@org.test\"},\"challenges\":[{\"type\":\"http-01\","
                            + "\"url\":\"" + base + "/chall/1\",\"status\":\"pending\",\"token\":\"tok\"}]}");
                default:
                    return r.setResponseCode(404).setHeader("Content-Type", "application/problem+json")
                            .setBody("{\"type\":\"urn:ietf:params:acme:error:malformed\",\"status\":404}");
            }
        }

        private JsonNode payload(RecordedRequest request) {
            try {
                String encoded = JSON.readTree(request.getBody().readUtf8()).path("payload").asText();
                return JSON.readTree(new String(Base64.getUrlDecoder().decode(encoded), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** No stored account key; what is saved is forgotten. */
    private static final class NoKeys implements AccountKeys {
        @Override
        public Optional<KeyPair> load(CaProfile profile) {
            return Optional.empty();
        }

        @Override
        public void save(CaProfile profile, KeyPair key, Optional<URI> accountUrl) {
        }
    }
}
