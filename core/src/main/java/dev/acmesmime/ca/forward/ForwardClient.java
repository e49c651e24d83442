package dev.acmesmime.ca.forward;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.acmesmime.rfc8823.Untrusted;
import okhttp3.ConnectionPool;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * Sends one {@link ForwardEnvelope} to a {@link ForwardTarget} over HTTP(S) with okhttp, adding the
 * contract's authentication at send time. TLS certificates and host names are always verified;
 * {@link ForwardTarget#trustStore()} only adds anchors to the JDK's. Never throws for network
 * trouble: every attempt ends as a {@link DeliveryAttempt}. Thread-safe; share one per target.
 * <p>
 * Connections are kept alive and reused. A send that fails on a reused connection before any
 * answer arrived is sent again at once on a fresh connection, inside the same attempt, so it uses
 * up no back-off step; a server that answers HTTP/1.0 without keep-alive gets {@code Connection:
 * close} requests, so its closed connections are not pooled ({@link ConnectionReuse}).
 */
public final class ForwardClient implements AutoCloseable {
    private static final int MAX_ANSWER_BYTES = 64 * 1024;
    private static final Logger LOGGER = LoggerFactory.getLogger(ForwardClient.class);

    private final ForwardTarget target;
    private final OkHttpClient http;
    /** The same settings without a pool: every call opens its own connection and closes it after. */
    private final OkHttpClient fresh;
    private final ConnectionReuse reuse = new ConnectionReuse();
    private final AtomicLong staleRetries = new AtomicLong();
    private final Clock clock;

    public ForwardClient(ForwardTarget target, Clock clock) {
        this.target = Objects.requireNonNull(target, "target");
        this.clock = Objects.requireNonNull(clock, "clock");
        OkHttpClient.Builder b = new OkHttpClient.Builder()
                .connectTimeout(target.timeout().toMillis(), TimeUnit.MILLISECONDS)
                .readTimeout(target.timeout().toMillis(), TimeUnit.MILLISECONDS)
                .writeTimeout(target.timeout().toMillis(), TimeUnit.MILLISECONDS)
                .followRedirects(false)
                // the outbox retries, and send() once on a stale pooled connection; okhttp must not resend a POST on its own
                .retryOnConnectionFailure(false)
                .eventListenerFactory(reuse)
                .addNetworkInterceptor(reuse);
        if (target.trustStore().isPresent()) {
            X509TrustManager tm = trustManager(target);
            try {
                SSLContext ssl = SSLContext.getInstance("TLS");
                ssl.init(null, new TrustManager[] {tm}, null);
                b.sslSocketFactory(ssl.getSocketFactory(), tm);
            } catch (GeneralSecurityException e) {
                throw new IllegalArgumentException(ForwardTarget.TRUST_STORE + ": " + e.getMessage(), e);
            }
        }
        this.http = b.build();
        this.fresh = http.newBuilder().connectionPool(new ConnectionPool(0, 1, TimeUnit.SECONDS)).build();
    }

    public ForwardTarget target() {
        return target;
    }

    /**
     * How many sends failed on a stale pooled connection before any answer and were sent again at
     * once on a fresh connection, since this client was made.
     */
    public long staleRetries() {
        return staleRetries.get();
    }

    /**
     * Makes one attempt. If it fails on a connection taken from the pool before any answer arrived,
     * the server most likely closed that connection while it was idle: the request is sent once more,
     * at once, on a fresh connection, within this same attempt (the {@code Idempotency-Key} lets the
     * server recognise it should the first copy have arrived after all).
     */
    public DeliveryAttempt send(ForwardEnvelope e) {
        byte[] body = e.body();
        Request.Builder rb = new Request.Builder().url(target.url().toString())
                .post(RequestBody.create(body, MediaType.get(e.contentType())))
                .header("Idempotency-Key", e.id());
        e.headers().forEach(rb::header);
        // sign by the contract the body was built for, which the envelope names
        ForwardProtocol protocol = e.contract().protocol();
        protocol.authentication(target, body, clock.instant()).forEach(rb::header);
        if (reuse.serverCloses()) {
            // an HTTP/1.0 server closes after each answer; okhttp pools no connection that asked to close
            rb.header("Connection", "close");
        }
        ConnectionReuse.Use use = new ConnectionReuse.Use();
        try {
            return exchange(http, rb.tag(ConnectionReuse.Use.class, use).build(), protocol);
        } catch (IOException ex) {
            if (!use.staleBeforeAnswer()) {
                return ioError(ex);
            }
        }
        staleRetries.incrementAndGet();
        // the other idle connections were most likely closed with it
        http.connectionPool().evictAll();
        LOGGER.debug("acme-smime forward {}: pooled connection to {} was closed; sending again on a fresh one",
                e.id(), target.url());
        try {
            return exchange(fresh, rb.header("Connection", "close").tag(ConnectionReuse.Use.class, null).build(), protocol);
        } catch (IOException ex) {
            return ioError(ex);
        }
    }

    private DeliveryAttempt exchange(OkHttpClient client, Request request, ForwardProtocol protocol) throws IOException {
        try (Response response = client.newCall(request).execute()) {
            int status = response.code();
            String answer = readAnswer(response.body());
            if (status < 200 || status > 299) {
                return new DeliveryAttempt(status, false, "http-" + status,
                        "HTTP " + status + " from " + target.url() + DeliveryAttempt.answerDetail(answer));
            }
            return protocol.answer(status, answer);
        }
    }

    private DeliveryAttempt ioError(IOException ex) {
        return new DeliveryAttempt(0, false, "io-error", ex.getClass().getSimpleName() + " sending to "
                + target.url() + ": " + Untrusted.quote(String.valueOf(ex.getMessage())));
    }

    private static String readAnswer(ResponseBody body) throws IOException {
        if (body == null) {
            return "";
        }
        try (InputStream in = body.byteStream()) {
            return new String(in.readNBytes(MAX_ANSWER_BYTES), StandardCharsets.UTF_8);
        }
    }

    private static X509TrustManager trustManager(ForwardTarget target) {
        try {
            X509TrustManager jdk = firstX509(null);
            KeyStore extra = KeyStore.getInstance("PKCS12");
            char[] password = target.trustStorePassword()
                    .map(s -> new String(s.bytes(), StandardCharsets.UTF_8).toCharArray()).orElse(null);
            try (InputStream in = Files.newInputStream(target.trustStore().orElseThrow())) {
                extra.load(in, password);
            } finally {
                if (password != null) {
                    Arrays.fill(password, '\0');
                }
            }
            X509TrustManager added = firstX509(extra);
            return new EitherTrustManager(List.of(jdk, added));
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException(ForwardTarget.TRUST_STORE + ": cannot load "
                    + target.trustStore().orElseThrow() + ": " + e.getMessage(), e);
        }
    }

    private static X509TrustManager firstX509(KeyStore ks) throws GeneralSecurityException {
        TrustManagerFactory f = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        f.init(ks);
        for (TrustManager tm : f.getTrustManagers()) {
            if (tm instanceof X509TrustManager x) {
                return x;
            }
        }
        throw new GeneralSecurityException("no X509TrustManager");
    }

    /** Trusts a server chain that any of the delegates trusts; each delegate verifies fully. */
    private record EitherTrustManager(List<X509TrustManager> delegates) implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("client certificates are not accepted here");
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            CertificateException last = null;
            for (X509TrustManager d : delegates) {
                try {
                    d.checkServerTrusted(chain, authType);
                    return;
                } catch (CertificateException e) {
                    last = e;
                }
            }
            throw last;
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            List<X509Certificate> all = new ArrayList<>();
            delegates.forEach(d -> all.addAll(Arrays.asList(d.getAcceptedIssuers())));
            return all.toArray(X509Certificate[]::new);
        }
    }

    @Override
    public void close() {
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
        fresh.connectionPool().evictAll();
    }
}
