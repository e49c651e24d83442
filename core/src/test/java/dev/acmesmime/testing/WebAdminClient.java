package dev.acmesmime.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

/**
 * James WebAdmin over HTTP on loopback, as an administrator's script calls it: one request, its
 * status and body. For every test that talks to a real James's WebAdmin.
 * <p>
 * {@code new WebAdminClient(port)} sends each request from a client of its own, so that no connection
 * outlives a James restart. Such a client's connection stays open until the test's JVM collects the
 * client, and James's WebAdmin (Spark on Jetty, idle timeout one hour) keeps every open connection with
 * about 30 KB of parser state: harmless for a test's few requests, tens of MB for a benchmark's
 * thousands. {@link #keepAlive} sends all requests over one kept-alive connection, as an administrator's
 * script with one HTTP session does.
 */
public final class WebAdminClient {
    private final int port;
    /** The kept-alive client, or null for a client per request. */
    private final HttpClient shared;

    public WebAdminClient(int port) {
        this(port, null);
    }

    private WebAdminClient(int port, HttpClient shared) {
        this.port = port;
        this.shared = shared;
    }

    /** A client whose requests share one kept-alive connection; for a James that is not restarted meanwhile. */
    public static WebAdminClient keepAlive(int port) {
        return new WebAdminClient(port, HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build());
    }

    public int port() {
        return port;
    }

    /** HTTP status and body. */
    public record Http(int status, String body) {
    }

    public Http get(String path) throws IOException, InterruptedException {
        return send("GET", path, null);
    }

    /** GET that must answer 200; the body. */
    public String getOk(String path) throws IOException, InterruptedException {
        Http r = get(path);
        assertThat(r.status()).as(path + ": " + r.body()).isEqualTo(200);
        return r.body();
    }

    /** GET with an {@code Accept} header, e.g. {@code message/rfc822} for a mail of a repository. */
    public Http get(String path, String accept) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri(path)).header("Accept", accept).GET());
    }

    public Http post(String path, String json) throws IOException, InterruptedException {
        return send("POST", path, json);
    }

    public Http put(String path, String json) throws IOException, InterruptedException {
        return send("PUT", path, json);
    }

    /** {@code json} null: no body; otherwise sent as application/json (WebAdmin answers 400 without the type). */
    public Http send(String method, String path, String json) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path));
        if (json == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json));
        }
        return send(request);
    }

    /** A path segment, e.g. a mail repository's path or a mail key. */
    public static String segment(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private Http send(HttpRequest.Builder request) throws IOException, InterruptedException {
        // by default a client per request: a pooled connection would not survive the James restarts some tests make
        HttpClient client = shared != null ? shared : HttpClient.newHttpClient();
        HttpResponse<String> r = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Http(r.statusCode(), r.body());
    }
}
