package dev.acmesmime.ca.forward;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An ACME server as Python's {@code http.server} plays it: HTTP/1.0, one request per connection,
 * answered with a {@code Content-Length} and no {@code Connection} header, then the connection is
 * closed. Counts the requests per {@code Idempotency-Key} and the connections it accepted.
 */
final class Http10Server implements AutoCloseable {
    private static final byte[] ANSWER_BODY = "{\"outcome\":\"valid\"}".getBytes(StandardCharsets.US_ASCII);

    private final ServerSocket socket;
    private final ExecutorService handlers = Executors.newFixedThreadPool(32);
    private final Map<String, AtomicInteger> byKey = new ConcurrentHashMap<>();
    private final AtomicInteger connections = new AtomicInteger();

    private Http10Server(ServerSocket socket) {
        this.socket = socket;
    }

    /** Listens on a free port of the loopback address. */
    static Http10Server start() {
        try {
            Http10Server server = new Http10Server(new ServerSocket(0, 200, InetAddress.getLoopbackAddress()));
            server.acceptInBackground();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void acceptInBackground() {
        Thread acceptor = new Thread(this::acceptAll, "http10-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return socket.getLocalPort();
    }

    /** How many requests arrived with each {@code Idempotency-Key}. */
    Map<String, AtomicInteger> requestsByKey() {
        return byKey;
    }

    int connections() {
        return connections.get();
    }

    private void acceptAll() {
        while (!socket.isClosed()) {
            try {
                Socket s = socket.accept();
                connections.incrementAndGet();
                handlers.execute(() -> answerOnceAndClose(s));
            } catch (IOException e) {
                // closed: the test is over
            }
        }
    }

    private void answerOnceAndClose(Socket s) {
        try (s) {
            InputStream in = s.getInputStream();
            String head = readHead(in);
            int length = 0;
            String key = null;
            for (String line : head.split("\r\n")) {
                String lower = line.toLowerCase(Locale.ROOT);
                if (lower.startsWith("content-length:")) {
                    length = Integer.parseInt(line.substring(15).trim());
                } else if (lower.startsWith("idempotency-key:")) {
                    key = line.substring(16).trim();
                }
            }
            in.readNBytes(length);
            if (key != null) {
                byKey.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
            }
            OutputStream out = s.getOutputStream();
            out.write(("HTTP/1.0 200 OK\r\nServer: BaseHTTP/0.6 Python/3.11\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + ANSWER_BODY.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(ANSWER_BODY);
            out.flush();
        } catch (IOException e) {
            // the client went away; it counts what it did not get as a failure
        }
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < end.length) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed before the end of the headers");
            }
            head.write(b);
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.US_ASCII);
    }

    @Override
    public void close() throws IOException {
        socket.close();
        handlers.shutdownNow();
    }
}
