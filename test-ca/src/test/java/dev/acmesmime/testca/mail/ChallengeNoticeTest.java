package dev.acmesmime.testca.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.acmesmime.testca.TestCaSettings;
import dev.acmesmime.testing.FreePorts;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.subethamail.wiser.Wiser;

/** The {@code notify.webadminUrl} notice of {@link ChallengeMailer}, against a real HTTP server and SMTP sink. */
@Timeout(60) // hang guard only
class ChallengeNoticeTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String FROM = "acme-challenge@ca.test";
    private static final String TO = "alice@example.org";

    @TempDir
    Path dir;
    private HttpServer webadmin;
    private Wiser sink;
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger status = new AtomicInteger(201);
    private final String tokenPart1 = ChallengeTokens.tokenPart1(new SecureRandom(), false);

    @BeforeEach
    void start() throws Exception {
        webadmin = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        webadmin.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI() + " "
                    + exchange.getRequestHeaders().getFirst("Content-Type") + "\n"
                    + new String(body, StandardCharsets.UTF_8));
            byte[] answer = "{\"outcome\":\"conflict\",\"message\":\"recipient differs\"}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status.get(), answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        webadmin.start();
        sink = new Wiser(FreePorts.tcp());
        sink.getServer().setBindAddress(InetAddress.getLoopbackAddress());
        sink.start();
    }

    @AfterEach
    void stop() {
        webadmin.stop(0);
        sink.stop();
    }

    private ChallengeMailer mailer() {
        Properties p = new Properties();
        p.setProperty("dataDir", dir.toString());
        p.setProperty("smtp.host", "127.0.0.1");
        p.setProperty("smtp.port", Integer.toString(sink.getServer().getPort()));
        p.setProperty("challenge.from", FROM);
        p.setProperty("notify.webadminUrl", "http://127.0.0.1:" + webadmin.getAddress().getPort() + "/");
        return new ChallengeMailer(TestCaSettings.parse(p, dir), Clock.systemUTC());
    }

    @Test
    void theChallengeFactsArePostedToWebAdmin() throws Exception {
        Instant before = Instant.now().minusSeconds(1);
        SentChallenge sent = mailer().send(TO, tokenPart1, Instant.now().plus(Duration.ofHours(24)));

        assertThat(requests).hasSize(1);
        String[] request = requests.get(0).split("\n", 2);
        assertThat(request[0]).isEqualTo("POST /acme-smime/challenges application/json");
        JsonNode n = JSON.readTree(request[1]);
        assertThat(n.size()).isEqualTo(5);
        assertThat(n.path("messageId").asText()).isEqualTo(sent.messageId());
        assertThat(n.path("tokenPart1").asText()).isEqualTo(tokenPart1);
        assertThat(n.path("recipient").asText()).isEqualTo(TO);
        assertThat(n.path("responseAddress").asText()).isEqualTo(FROM);
        assertThat(Instant.parse(n.path("createdAt").asText())).isEqualTo(sent.sentAt()).isAfter(before);
        assertThat(sink.getMessages()).hasSize(1);
    }

    @Test
    void aRefusedNoticeStopsTheMailAndQuotesTheAnswer() {
        status.set(409);
        ChallengeMailer mailer = mailer();
        assertThatThrownBy(() -> mailer.send(TO, tokenPart1, Instant.now().plus(Duration.ofHours(24))))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("/acme-smime/challenges answered HTTP 409")
                .hasMessageContaining("recipient differs");
        assertThat(sink.getMessages()).isEmpty();
    }
}
