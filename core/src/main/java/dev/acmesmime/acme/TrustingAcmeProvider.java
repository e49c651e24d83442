package dev.acmesmime.acme;

import java.net.http.HttpClient;

import javax.net.ssl.SSLContext;

import org.shredzone.acme4j.connector.NetworkSettings;
import org.shredzone.acme4j.provider.GenericAcmeProvider;

/**
 * acme4j's generic provider with one change: its {@link HttpClient} trusts the given {@link SSLContext}
 * (a profile's trust store, {@link AcmeTrust}) instead of the JDK's anchors. acme4j 4.0.0 has no trust
 * setting in {@link NetworkSettings}; {@code AcmeProvider.createHttpClient} is the extension point
 * (acme4j's own {@code PebbleAcmeProvider} uses it the same way), and {@code new Session(uri, provider)}
 * picks the provider. Hostname verification stays on.
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
