package dev.acmesmime.gateway;

import java.security.cert.X509Certificate;
import java.util.Objects;

/**
 * A certificate the gateway may encrypt to: a local mailbox's enrolled one, or a correspondent's
 * harvested one (G6), valid now.
 *
 * @param address     the mailbox it belongs to (its rfc822Name)
 * @param certificate the leaf
 * @param gcmCapable  whether the holder said it reads AES-GCM (AuthEnvelopedData, RFC 5083/5084): its
 *                    SMIMECapabilities listed it, or it is a local mailbox, whose gateway does (G7)
 */
public record RecipientCertificate(String address, X509Certificate certificate, boolean gcmCapable) {

    public RecipientCertificate {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(certificate, "certificate");
    }
}
