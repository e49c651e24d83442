package dev.acmesmime.ca.forward;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.util.concurrent.atomic.AtomicBoolean;

import okhttp3.Call;
import okhttp3.Connection;
import okhttp3.EventListener;
import okhttp3.Interceptor;
import okhttp3.Protocol;
import okhttp3.Response;

/**
 * What the {@link ForwardClient} needs to know about okhttp's connection pool, for ACME servers that
 * close their connections (HTTP/1.0 servers such as Python's {@code http.server} or {@code wsgiref}
 * answer once and close, without a {@code Connection: close} header, and okhttp would pool the
 * closed connection and fail the next send on it with "unexpected end of stream").
 * <ul>
 * <li>As an event listener factory it tells, per call, whether the call went out on a pooled
 * connection and whether an answer's headers arrived ({@link Use}), so that a send that failed on
 * a stale pooled connection is retried at once on a fresh one.</li>
 * <li>As a network interceptor it remembers whether the server answers HTTP/1.0 without
 * {@code Connection: keep-alive}; while it does, {@link #serverCloses()} is true and the client asks
 * for {@code Connection: close}, which keeps okhttp from pooling such a connection.</li>
 * </ul>
 */
final class ConnectionReuse implements EventListener.Factory, Interceptor {
    private final AtomicBoolean serverCloses = new AtomicBoolean();

    /** The last answer came over HTTP/1.0 without keep-alive: the server closes every connection. */
    boolean serverCloses() {
        return serverCloses.get();
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        Response response = chain.proceed(chain.request());
        // only the protocol decides: an HTTP/1.1 server answers "Connection: close" to our own request
        serverCloses.set(response.protocol() == Protocol.HTTP_1_0
                && !"keep-alive".equalsIgnoreCase(response.header("Connection")));
        return response;
    }

    @Override
    public EventListener create(Call call) {
        Use use = call.request().tag(Use.class);
        return use == null ? EventListener.NONE : new Listener(use);
    }

    /** One call's use of a connection; attach a new one to each request as its {@link Use} tag. */
    static final class Use {
        private volatile boolean acquired;
        private volatile boolean connected;
        private volatile boolean answered;

        /**
         * The call failed on a connection taken from the pool before any answer arrived: the server
         * had most likely closed it while it was idle, and the request may not have reached it.
         */
        boolean staleBeforeAnswer() {
            return acquired && !connected && !answered;
        }
    }

    private static final class Listener extends EventListener {
        private final Use use;

        Listener(Use use) {
            this.use = use;
        }

        @Override
        public void connectStart(Call call, InetSocketAddress address, Proxy proxy) {
            use.connected = true;
        }

        @Override
        public void connectionAcquired(Call call, Connection connection) {
            use.acquired = true;
        }

        @Override
        public void responseHeadersEnd(Call call, Response response) {
            use.answered = true;
        }
    }
}
