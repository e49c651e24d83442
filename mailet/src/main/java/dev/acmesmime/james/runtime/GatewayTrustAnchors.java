package dev.acmesmime.james.runtime;

import java.io.IOException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Properties;

import dev.acmesmime.smime.TrustAnchors;

/**
 * The setting {@value #KEY} of {@code conf/acme-smime.properties}: the roots a correspondent's signing
 * certificate must chain to before the gateway keeps it (G6). {@value #JDK} (the default) takes the
 * JDK's cacerts, where the public S/MIME roots are; anything else is a PEM bundle, resolved against
 * the settings file's folder ({@code HOME/conf}) when relative, as the enrolment profiles' files are.
 * Read once, at start-up: a file that cannot be read or holds no certificate stops James with a message
 * naming the setting.
 */
public final class GatewayTrustAnchors {
    public static final String KEY = "gateway.trustAnchors";
    public static final String JDK = "jdk";

    private GatewayTrustAnchors() {
    }

    /** @throws IllegalArgumentException naming {@value #KEY} */
    public static List<X509Certificate> fromSettings(Properties settings, Path home) {
        String value = settings.getProperty(KEY, JDK).trim();
        if (value.isEmpty() || value.equalsIgnoreCase(JDK)) {
            return TrustAnchors.jdkDefault();
        }
        Path file;
        try {
            file = home.resolve(AcmeSmimeRuntime.SETTINGS_FILE).getParent().resolve(value).normalize();
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException(KEY + " is not a valid path: '" + value + "'", e);
        }
        try {
            return TrustAnchors.fromPem(file); // refuses a file without a certificate
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException(KEY + ": cannot read trust anchors from " + file + ": " + e.getMessage(), e);
        }
    }
}
