package dev.acmesmime.testca.pki;

import java.security.cert.X509Certificate;
import java.util.List;

/** PEM text of certificates. */
public final class Pem {
    private Pem() {
    }

    public static String of(List<X509Certificate> certificates) {
        throw new UnsupportedOperationException("not yet built");
    }
}
