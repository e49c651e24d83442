package dev.acmesmime.smime;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.NoSuchAlgorithmException;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMParser;

/**
 * Sources of trust anchors for {@link SmimeChallengeVerifier}. RFC 8823 does not say which roots
 * a challenge signer must chain to (checklist X14), so the operator chooses: the JDK's default
 * trust store, a PEM bundle (e.g. the S/MIME roots of the CAs the organisation uses), or a KeyStore.
 * These methods are for configuration time and throw on a bad file; they never see mail.
 */
public final class TrustAnchors {

    private TrustAnchors() {
    }

    /**
     * The JDK's default trust store: {@code $JAVA_HOME/lib/security/cacerts}, or the store named
     * by {@code javax.net.ssl.trustStore}, as the default {@link TrustManagerFactory} loads it.
     */
    public static List<X509Certificate> jdkDefault() {
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init((KeyStore) null);
            List<X509Certificate> out = new ArrayList<>();
            for (TrustManager tm : tmf.getTrustManagers()) {
                if (tm instanceof X509TrustManager x) {
                    Collections.addAll(out, x.getAcceptedIssuers());
                }
            }
            return List.copyOf(out);
        } catch (NoSuchAlgorithmException | KeyStoreException e) {
            throw new IllegalStateException("the JDK default trust store cannot be loaded", e);
        }
    }

    /** Every {@code CERTIFICATE} block of a PEM bundle; other blocks are skipped. */
    public static List<X509Certificate> fromPem(InputStream pem) throws IOException {
        List<X509Certificate> out = new ArrayList<>();
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        try (Reader r = new InputStreamReader(pem, StandardCharsets.US_ASCII); PEMParser parser = new PEMParser(r)) {
            Object o;
            while ((o = parser.readObject()) != null) {
                if (o instanceof X509CertificateHolder holder) {
                    out.add(converter.getCertificate(holder));
                }
            }
        } catch (CertificateException e) {
            throw new IOException("PEM bundle holds an unreadable certificate", e);
        }
        if (out.isEmpty()) {
            throw new IOException("PEM bundle holds no CERTIFICATE block");
        }
        return List.copyOf(out);
    }

    /** {@link #fromPem(InputStream)} on a file. */
    public static List<X509Certificate> fromPem(Path pemFile) throws IOException {
        try (InputStream in = Files.newInputStream(pemFile)) {
            return fromPem(in);
        }
    }

    /** The certificate of every entry (trusted-certificate entries and the first certificate of key entries). */
    public static List<X509Certificate> fromKeyStore(KeyStore keyStore) throws KeyStoreException {
        List<X509Certificate> out = new ArrayList<>();
        for (String alias : Collections.list(keyStore.aliases())) {
            Certificate c = keyStore.getCertificate(alias);
            if (c instanceof X509Certificate x) {
                out.add(x);
            }
        }
        return List.copyOf(out);
    }
}
