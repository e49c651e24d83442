package dev.acmesmime.testca.client;

import java.security.KeyPair;
import java.security.interfaces.RSAKey;
import java.util.List;

import org.bouncycastle.asn1.x509.KeyUsage;

import dev.acmesmime.acme.SmimeCsr;

/**
 * S/MIME CSRs for the tests, through core's {@link SmimeCsr} (BouncyCastle 1.70, the line James ships):
 * rfc822Name SANs, and an extension request for KeyUsage and EKU emailProtection. acme4j's
 * {@code CSRBuilder} cannot do this: it only knows DNS and IP identifiers.
 */
public final class Csrs {
    private Csrs() {
    }

    /** A CSR for {@code addresses}, asking digitalSignature (and keyEncipherment for RSA keys). */
    public static byte[] smime(KeyPair key, String... addresses) {
        int usage = KeyUsage.digitalSignature | (key.getPublic() instanceof RSAKey ? KeyUsage.keyEncipherment : 0);
        return smime(key, usage, addresses);
    }

    public static byte[] smime(KeyPair key, int keyUsage, String... addresses) {
        String algorithm = key.getPublic() instanceof RSAKey ? "SHA256withRSA" : "SHA256withECDSA";
        return SmimeCsr.of(key, algorithm, keyUsage, List.of(addresses));
    }
}
