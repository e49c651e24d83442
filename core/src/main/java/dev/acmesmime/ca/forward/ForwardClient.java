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

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;


import dev.acmesmime.rfc8823.Untrusted;
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
 */
public final class ForwardClient implements AutoCloseable {
    private static final int MAX_ANSWER_BYTES = 64 * 1024;

    private final ForwardTarget target;
    private final OkHttpClient http;
    private final Clock clock;

    public ForwardClient(ForwardTarget target, Clock clock) {
        this.target = Objects.requireNonNull(target, "target");
        this.clock = Objects.requireNonNull(clock, "clock");
        OkHttpClient.Builder b = new OkHttpClient.Builder()
                .connectTimeout(target.timeout().toMillis(), TimeUnit.MILLISECONDS)
                .readTimeout(target.timeout().toMillis(), TimeUnit.MILLISECONDS)
                .writeTimeout(target.timeout().toMillis(), TimeUnit.MILLISECONDS)
                .followRedirects(false)
                // the outbox retries; okhttp must not resend a POST on its own
                .retryOnConnectionFailure(false);
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
    }

    public ForwardTarget target() {
        return target;
    }

    /** Makes one attempt. */
    public DeliveryAttempt send(ForwardEnvelope e) {
        byte[] body = e.body();
        Request.Builder rb = new Request.Builder().url(target.url().toString())
                .post(RequestBody.create(body, MediaType.get(e.contentType())))
                .header("Idempotency-Key", e.id());
        e.headers().forEach(rb::header);
        // sign by the contract the body was built for, which the envelope names
        ForwardProtocol protocol = e.contract().protocol();
        protocol.authentication(target, body, clock.instant()).forEach(rb::header);
        try (Response response = http.newCall(rb.build()).execute()) {
            int status = response.code();
            String answer = readAnswer(response.body());
            if (status < 200 || status > 299) {
                return new DeliveryAttempt(status, false, "http-" + status,
                        "HTTP " + status + " from " + target.url() + DeliveryAttempt.answerDetail(answer));
            }
            return protocol.answer(status, answer);
        } catch (IOException ex) {
            return new DeliveryAttempt(0, false, "io-error", ex.getClass().getSimpleName() + " sending to "
                    + target.url() + ": " + Untrusted.quote(String.valueOf(ex.getMessage())));
        }
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
    }
}
