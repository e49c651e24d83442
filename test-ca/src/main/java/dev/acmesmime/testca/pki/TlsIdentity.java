package dev.acmesmime.testca.pki;

import javax.net.ssl.SSLContext;

/**
 * The ACME port's TLS identity.
 *
 * @param context a server SSLContext holding the key and chain
 * @param pem     the TLS certificate chain, PEM, as written to {@code dataDir/tls.pem}
 */
public record TlsIdentity(SSLContext context, String pem) {
}
