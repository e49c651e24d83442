package dev.acmesmime.gateway;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/**
 * A local mailbox's enrolled certificate chain (leaf first) with its private key, checked usable
 * now by {@link EnrolledCertificateDirectory} (G2). Its {@code toString} never shows the key.
 */
public record SigningIdentity(String mailbox, PrivateKey key, List<X509Certificate> chain) {

    public SigningIdentity {
        Objects.requireNonNull(mailbox, "mailbox");
        Objects.requireNonNull(key, "key");
        chain = List.copyOf(chain);
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("a signing identity needs its certificate");
        }
    }

    public X509Certificate leaf() {
        return chain.get(0);
    }

    @Override
    public String toString() {
        return "SigningIdentity[" + mailbox + ", serial " + leaf().getSerialNumber().toString(16) + "]";
    }
}
