package dev.acmesmime.testca.acme;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Wraps the ACME port's handler: waits {@code fault.requestDelay} before handling each request, like a
 * distant or busy CA, and counts the requests waiting so and the most that ever waited at once
 * ({@code GET /stats}: {@code delayedRequests}, {@code delayedRequestsMax}). The wait ends before the answer
 * is begun, so a client making one request at a time never has two waiting: more than 1 means the client's
 * requests were outstanding together. (Counting until the handler returns would not tell: the client has the
 * answer, and may send its next request, before the handler's thread is done.) The test CA's 8 HTTP
 * threads bound what it can observe; with no delay nothing is counted.
 */
final class RequestGauge implements HttpHandler {
    private final HttpHandler next;
    private final Duration delay;
    private final AtomicInteger waiting = new AtomicInteger();
    private final AtomicInteger max = new AtomicInteger();

    RequestGauge(HttpHandler next, Duration delay) {
        this.next = next;
        this.delay = delay;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        if (!delay.isZero()) {
            pause();
        }
        next.handle(exchange);
    }

    private void pause() throws IOException {
        max.accumulateAndGet(waiting.incrementAndGet(), Math::max);
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted during fault.requestDelay", e);
        } finally {
            waiting.decrementAndGet();
        }
    }

    int waiting() {
        return waiting.get();
    }

    int max() {
        return max.get();
    }
}
