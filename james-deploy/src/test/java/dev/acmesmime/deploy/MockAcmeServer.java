package dev.acmesmime.deploy;

import java.io.IOException;
import java.net.InetAddress;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.ObjectMapper;

import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;

/**
 * The ACME server the CA's James forwards results to: okhttp's MockWebServer on loopback, answering
 * with the status it is told and keeping every request with the status it got. It can be shut down
 * and started again on the same port, for the tests of refused connections.
 */
final class MockAcmeServer extends Dispatcher implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    volatile int status = 200;
    volatile boolean bench;
    /** Every request with the status it got, as one entry: the forwarder sends side by side. */
    private final List<Exchange> exchanges = new CopyOnWriteArrayList<>();
    /** Benchmark: response Message-ID → System.nanoTime() of the first 2xx delivery. */
    final Map<String, Long> deliveredAt = new ConcurrentHashMap<>();
    /** Benchmark: requests answered with another status than 200. */
    final AtomicInteger refused = new AtomicInteger();
    private MockWebServer server;

    /** @param at System.nanoTime() when the request arrived */
    record Exchange(RecordedRequest request, int status, long at) {
        /** The response's Message-ID the native body names ({@code response.messageId}); empty for other bodies. */
        String responseId() {
            try {
                return JSON.readTree(request.getBody().clone().readByteArray()).path("response").path("messageId").asText();
            } catch (IOException e) {
                return "";
            }
        }
    }

    /** Starts on a free loopback port, or on {@code port} when it is not 0. */
    void start(int port) throws IOException {
        server = new MockWebServer();
        server.setDispatcher(this);
        server.start(InetAddress.getLoopbackAddress(), port);
    }

    int port() {
        return server.getPort();
    }

    /** Stops listening: the next connections are refused. */
    @Override
    public void close() throws IOException {
        server.shutdown();
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        int s = status;
        if (bench) {
            return benchmarkAnswer(request, s);
        }
        exchanges.add(new Exchange(request, s, System.nanoTime()));
        return s == 200 ? new MockResponse().setResponseCode(200).setBody("{\"outcome\":\"valid\"}")
                : new MockResponse().setResponseCode(s).setBody("down for maintenance");
    }

    /** The benchmark sends thousands: it keeps counts and delivery times, not bodies. */
    private MockResponse benchmarkAnswer(RecordedRequest request, int s) {
        if (s != 200) {
            refused.incrementAndGet();
            return new MockResponse().setResponseCode(s);
        }
        long now = System.nanoTime();
        String id = new Exchange(request, s, now).responseId();
        if (!id.isEmpty()) { // not a native body: not part of the benchmark
            deliveredAt.putIfAbsent(id, now);
        }
        return new MockResponse().setResponseCode(200).setBody("{\"outcome\":\"valid\"}");
    }

    /** Every request so far, with the status it got, in the order they arrived. */
    List<Exchange> exchanges() {
        return List.copyOf(exchanges);
    }

    /** Every request about one of {@code addresses} (the body names it, whatever the contract). */
    List<RecordedRequest> requests(Collection<String> addresses) {
        return exchanges.stream().filter(e -> about(e.request(), addresses)).map(Exchange::request).toList();
    }

    List<RecordedRequest> requests(String address) {
        return requests(List.of(address));
    }

    /** The requests about one of {@code addresses} that were answered 200. */
    List<RecordedRequest> delivered(Collection<String> addresses) {
        return exchanges.stream().filter(e -> e.status() == 200 && about(e.request(), addresses))
                .map(Exchange::request).toList();
    }

    List<RecordedRequest> delivered(String address) {
        return delivered(List.of(address));
    }

    private static boolean about(RecordedRequest request, Collection<String> addresses) {
        String body = request.getBody().clone().readUtf8();
        return addresses.stream().anyMatch(body::contains);
    }
}
