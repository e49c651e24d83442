package dev.acmesmime.testca.client;

import java.net.http.HttpClient;

import javax.net.ssl.SSLContext;

import org.shredzone.acme4j.connector.NetworkSettings;
import org.shredzone.acme4j.provider.GenericAcmeProvider;

/**
 * acme4j's generic provider with one change: its {@link HttpClient} trusts the test CA's certificates.
 * acme4j 4.0.0 has no trust setting in {@link NetworkSettings}; {@code AcmeProvider.createHttpClient} is
 * the extension point (acme4j's own {@code PebbleAcmeProvider} uses it the same way), and
 * {@code new Session(uri, provider)} picks the provider. Enrolment (issue 15) will need the same when a
 * CA uses a private TLS root.
 */
public class TrustingAcmeProvider extends GenericAcmeProvider {
    private final SSLContext sslContext;

    public TrustingAcmeProvider(SSLContext sslContext) {
        this.sslContext = sslContext;
    }

    @Override
    public HttpClient createHttpClient(NetworkSettings settings) {
        HttpClient.Builder builder = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(settings.getTimeout())
                .proxy(settings.getProxySelector())
                .sslContext(sslContext);
        if (settings.getAuthenticator() != null) {
            builder.authenticator(settings.getAuthenticator());
        }
        return builder.build();
    }
}
