package dev.acmesmime.testca.client;

import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The test CA's management port (loopback, Pebble-like), as the tests call it. */
public final class ManagementClient {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http;
    private final URI base;

    ManagementClient(HttpClient http, URI base) {
        this.http = http;
        this.base = base;
    }

    /** {@code GET /cert-status-by-serial/<hex>}: the status JSON; a missing node when the answer is not 200. */
    public JsonNode certificateStatus(BigInteger serial) {
        HttpResponse<String> r = send(HttpRequest.newBuilder(base.resolve("/cert-status-by-serial/" + serial.toString(16)))
                .GET());
        return r.statusCode() == 200 ? read(r.body()) : JSON.missingNode();
    }

    /**
     * {@code GET /stats}: the counts {@code {"accounts","orders","certificates","challengeMails",
     * "delayedRequests","delayedRequestsMax"}}.
     */
    public JsonNode stats() {
        HttpResponse<String> r = send(HttpRequest.newBuilder(base.resolve("/stats")).GET());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("GET /stats answered " + r.statusCode());
        }
        return read(r.body());
    }

    /** {@code POST /set-renewal-info/}: moves a certificate's ARI window; returns the HTTP status. */
    public int setRenewalInfo(String certId, Instant start, Instant end) {
        ObjectNode body = JSON.createObjectNode().put("certID", certId).put("start", start.toString())
                .put("end", end.toString());
        return send(HttpRequest.newBuilder(base.resolve("/set-renewal-info/"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()))).statusCode();
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("management call: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode read(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new IllegalStateException("not JSON: " + body, e);
        }
    }
}
