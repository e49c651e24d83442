package dev.acmesmime.testca.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.List;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * An {@link SSLContext} that trusts exactly the test CA's PEM files ({@code root.pem}, {@code tls.pem}) and
 * nothing else, so the tests talk TLS to the test CA the way a configured client would, with hostname
 * checks left on.
 */
public final class TestCaTrust {
    private TestCaTrust() {
    }

    public static SSLContext sslContext(List<Path> pemFiles) {
        try {
            KeyStore anchors = KeyStore.getInstance(KeyStore.getDefaultType());
            anchors.load(null, null);
            int n = 0;
            for (Certificate c : certificates(pemFiles)) {
                anchors.setCertificateEntry("anchor-" + n++, c);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(anchors);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot trust " + pemFiles + ": " + e.getMessage(), e);
        }
    }

    /** Every certificate in the files that exist. */
    public static List<Certificate> certificates(List<Path> pemFiles) {
        List<Certificate> all = new ArrayList<>();
        try {
            CertificateFactory cf = CertificateFactory.getInstance("X.509");
            for (Path file : pemFiles) {
                if (Files.exists(file)) {
                    try (InputStream in = Files.newInputStream(file)) {
                        all.addAll(cf.generateCertificates(in));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        return all;
    }
}
