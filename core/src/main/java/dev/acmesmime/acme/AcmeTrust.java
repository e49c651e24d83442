package dev.acmesmime.acme;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Locale;
import java.util.Optional;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.shredzone.acme4j.provider.AcmeProvider;
import org.shredzone.acme4j.provider.GenericAcmeProvider;

import dev.acmesmime.acme.CaProfile.TrustStore;

/**
 * The acme4j provider a profile talks TLS through: the JDK's trust anchors, or exactly those of the
 * profile's trust store (PEM certificates, or a PKCS#12/JKS key store with its password in a file).
 */
public final class AcmeTrust {
    private AcmeTrust() {
    }

    /**
     * The provider for {@code new Session(directory, provider)}.
     *
     * @throws CaProfileException naming the profile's {@code trustStore} setting when the store cannot be read
     */
    public static AcmeProvider provider(CaProfile profile) {
        if (profile.trustStore().isEmpty()) {
            return new GenericAcmeProvider();
        }
        TrustStore store = profile.trustStore().get();
        try {
            return new TrustingAcmeProvider(sslContext(store));
        } catch (GeneralSecurityException | IOException e) {
            // the message names the file, never the password
            throw new CaProfileException(CaProfiles.PREFIX + profile.name() + "." + CaProfiles.TRUST_STORE,
                    "cannot read " + store.file() + ": " + e.getMessage());
        }
    }

    /** An SSL context trusting exactly the store's certificates. */
    public static SSLContext sslContext(TrustStore store) throws GeneralSecurityException, IOException {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(keyStore(store));
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }

    private static KeyStore keyStore(TrustStore store) throws GeneralSecurityException, IOException {
        String name = store.file().getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".pem") || name.endsWith(".crt")) {
            return pem(store.file());
        }
        char[] password = password(store.passwordFile());
        return KeyStore.getInstance(store.file().toFile(), password);
    }

    private static KeyStore pem(Path file) throws GeneralSecurityException, IOException {
        KeyStore anchors = KeyStore.getInstance(KeyStore.getDefaultType());
        anchors.load(null, null);
        int n = 0;
        try (InputStream in = Files.newInputStream(file)) {
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                anchors.setCertificateEntry("anchor-" + n++, c);
            }
        }
        if (n == 0) {
            throw new GeneralSecurityException("no certificate in " + file);
        }
        return anchors;
    }

    private static char[] password(Optional<Path> file) throws IOException {
        if (file.isEmpty()) {
            return null;
        }
        return Files.readString(file.get(), StandardCharsets.UTF_8).strip().toCharArray();
    }
}
