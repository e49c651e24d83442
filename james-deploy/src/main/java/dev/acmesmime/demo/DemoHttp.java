package dev.acmesmime.demo;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;

/** Plain HTTP to one loopback WebAdmin or management port: what the demo reads and what it does (create users, export a PKCS#12). */
final class DemoHttp {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final String base;

    DemoHttp(int port) {
        this.base = "http://127.0.0.1:" + port;
    }

    String base() {
        return base;
    }

    /** The answer's status and body. */
    record Answer(int status, String body) {
    }

    Answer send(String method, String path, String body) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10));
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> r = CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(r.statusCode(), r.body());
    }

    /** {@code method} with a JSON {@code body}: the bytes of a 200 (a PKCS#12); an exception naming the status otherwise. */
    byte[] bytes(String method, String path, String body) throws IOException, InterruptedException {
        HttpRequest r = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body)).build();
        HttpResponse<byte[]> a = CLIENT.send(r, HttpResponse.BodyHandlers.ofByteArray());
        if (a.statusCode() != 200) {
            throw new IOException(method + " " + base + path + ": " + a.statusCode() + " " + new String(a.body(), StandardCharsets.UTF_8));
        }
        return a.body();
    }

    /** GET as JSON; a missing node unless the answer is 200 (e.g. 404 before a mailbox has a record). */
    JsonNode json(String path) throws IOException, InterruptedException {
        Answer a = send("GET", path, null);
        return a.status() == 200 ? JSON.readTree(a.body()) : MissingNode.getInstance();
    }

    /** GET, the body of a 200; an exception naming the status otherwise. */
    String text(String path) throws IOException, InterruptedException {
        Answer a = send("GET", path, null);
        if (a.status() != 200) {
            throw new IOException("GET " + base + path + ": " + a.status() + " " + a.body());
        }
        return a.body();
    }
}
