package dev.acmesmime.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;

/**
 * How many connections the client leaves to WebAdmin: James's WebAdmin keeps each open one for an hour with
 * its parser state, so the enrolment benchmark's thousands of requests must share one (issue 15, session 8).
 * A JDK HTTP server on loopback stands in for WebAdmin and records the client port of every request.
 */
class WebAdminClientTest {
    private HttpServer server;
    private final Set<Integer> clientPorts = ConcurrentHashMap.newKeySet();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            clientPorts.add(exchange.getRemoteAddress().getPort());
            byte[] body = "[]".getBytes(StandardCharsets.US_ASCII);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void keepAlive_sendsEveryRequestOverOneConnection() throws Exception {
        WebAdminClient client = WebAdminClient.keepAlive(server.getAddress().getPort());
        for (int i = 0; i < 20; i++) {
            assertThat(client.getOk("/users")).isEqualTo("[]");
            assertThat(client.put("/users/u" + i + "@example.test", "{}").status()).isEqualTo(200);
        }
        assertThat(clientPorts).hasSize(1);
    }

    @Test
    void byDefault_eachRequestHasAConnectionOfItsOwn() throws Exception {
        WebAdminClient client = new WebAdminClient(server.getAddress().getPort());
        for (int i = 0; i < 5; i++) {
            assertThat(client.getOk("/users")).isEqualTo("[]");
        }
        assertThat(clientPorts).hasSize(5);
    }
}
