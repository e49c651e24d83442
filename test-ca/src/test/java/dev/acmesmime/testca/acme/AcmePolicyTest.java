package dev.acmesmime.testca.acme;

import static dev.acmesmime.testca.acme.AcmeHttp.json;
import static dev.acmesmime.testca.acme.AcmeHttp.problem;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.acmesmime.testca.TestCa;
import dev.acmesmime.testca.TestCaSettings;
import dev.acmesmime.testca.mail.SentChallenge;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Properties;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The test CA as commercial CAs run: TLS (the client trusts only {@code dataDir/root.pem}), External Account
 * Binding required, and a per-account order rate limit.
 */
class AcmePolicyTest {
    static final byte[] EAB_KEY = new SecureRandom().generateSeed(32);
    static TestCa server;
    static HttpClient https;
    @TempDir
    static Path dir;

    AcmeHttp client;

    @BeforeAll
    static void start() throws Exception {
        Properties p = new Properties();
        p.setProperty("http.port", "0");
        p.setProperty("management.port", "0");
        p.setProperty("dataDir", dir.toString());
        p.setProperty("eab", "required");
        p.setProperty("eab.key.kid-1", Base64.getUrlEncoder().withoutPadding().encodeToString(EAB_KEY));
        p.setProperty("rateLimit.ordersPerMinute", "1");
        server = AcmeServer.start(TestCaSettings.parse(p, dir), Clock.systemUTC(),
                (identifier, part1, expires) -> new SentChallenge("<m@test>", Instant.now()));
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(server.rootPem())) {
            trust.setCertificateEntry("root", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, tmf.getTrustManagers(), null);
        https = HttpClient.newBuilder().sslContext(tls).build();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void client() throws Exception {
        client = new AcmeHttp(https, server.directory(), Jws.ec256());
    }

    private HttpResponse<String> newAccount(ObjectNode eab) throws Exception {
        ObjectNode payload = AcmeHttp.JSON.createObjectNode().put("termsOfServiceAgreed", true);
        if (eab != null) {
            payload.set("externalAccountBinding", eab);
        }
        HttpResponse<String> r = client.post(client.url("newAccount"), payload.toString());
        client.kid = r.headers().firstValue("Location").orElse(null);
        return r;
    }

    @Test
    void theDirectoryIsServedOverTlsAndSaysEabIsRequired() throws Exception {
        assertThat(server.directory().toString()).startsWith("https://localhost:");
        assertThat(client.directory.path("meta").path("externalAccountRequired").asBoolean()).isTrue();
        assertThat(Files.readString(server.tlsPem())).startsWith("-----BEGIN CERTIFICATE-----");
    }

    @Test
    void anAccountWithoutBindingIsExternalAccountRequired() throws Exception {
        HttpResponse<String> r = newAccount(null);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(problem(r)).isEqualTo("externalAccountRequired");
    }

    @Test
    void aBindingMacedWithAnotherKeyIsUnauthorized() throws Exception {
        ObjectNode eab = Jws.eab(AlgorithmIdentifiers.HMAC_SHA256, "kid-1", new SecureRandom().generateSeed(32),
                client.url("newAccount"), client.key);
        assertThat(problem(newAccount(eab))).isEqualTo("unauthorized");
    }

    @Test
    void aBoundAccountOrdersOnceAMinute() throws Exception {
        ObjectNode eab = Jws.eab(AlgorithmIdentifiers.HMAC_SHA256, "kid-1", EAB_KEY, client.url("newAccount"),
                client.key);
        HttpResponse<String> created = newAccount(eab);
        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(json(created).path("externalAccountBinding").path("protected").asText())
                .isEqualTo(eab.path("protected").asText());
        String order = "{\"identifiers\":[{\"type\":\"email\",\"value\":\"dave@example.org\"}]}";
        assertThat(client.post(client.url("newOrder"), order).statusCode()).isEqualTo(201);
        HttpResponse<String> limited = client.post(client.url("newOrder"), order);
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(problem(limited)).isEqualTo("rateLimited");
        assertThat(limited.headers().firstValue("Retry-After").map(Long::parseLong)).get()
                .matches(s -> s > 0 && s <= 60);
    }
}
