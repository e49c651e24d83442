package dev.acmesmime.testca.acme;

import dev.acmesmime.testca.TestCa;
import dev.acmesmime.testca.TestCaSettings;
import dev.acmesmime.testca.mail.SentChallenge;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * A test CA in process for a test class: plain HTTP on loopback ports, the result endpoint keyed with
 * {@link #HMAC_KEY}, challenge mails recorded in {@link #MAILED} instead of sent, and a fresh client with a
 * fresh key for each test.
 */
abstract class InProcessCa {
    static final Map<String, String> MAILED = new ConcurrentHashMap<>();
    static final String HMAC_KEY = "a-shared-forward-secret-of-the-test";
    static TestCa server;
    @TempDir
    static Path dir;

    AcmeHttp client;

    @BeforeAll
    static void start() throws Exception {
        Files.writeString(dir.resolve("forward.key"), HMAC_KEY + "\n");
        Properties p = new Properties();
        p.setProperty("http.port", "0");
        p.setProperty("management.port", "0");
        p.setProperty("tls", "false");
        p.setProperty("dataDir", dir.resolve("data").toString());
        p.setProperty("forward.hmacKeyFile", "forward.key");
        p.setProperty("challenge.from", "acme-challenge@ca.test");
        p.setProperty("retryAfter", "2s");
        server = AcmeServer.start(TestCaSettings.parse(p, dir), Clock.systemUTC(), InProcessCa::record);
    }

    static SentChallenge record(String identifier, String tokenPart1, Instant expires) {
        MAILED.put(identifier, tokenPart1);
        return new SentChallenge("<" + tokenPart1 + "@test>", Instant.now());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void client() throws Exception {
        client = new AcmeHttp(server.directory(), Jws.ec256());
    }

    HttpResponse<String> newAccount() throws Exception {
        HttpResponse<String> r = client.post(client.url("newAccount"), "{\"termsOfServiceAgreed\":true,"
                + "\"contact\":[\"mailto:admin@example.org\"]}");
        client.kid = r.headers().firstValue("Location").orElse(null);
        return r;
    }
}
