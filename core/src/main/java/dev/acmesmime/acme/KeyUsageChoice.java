package dev.acmesmime.acme;

import org.bouncycastle.asn1.x509.KeyUsage;

/**
 * What the certificate's key may do, asked for in the CSR's KeyUsage (RFC 8823 §3.3 lets a client ask for
 * a signing-only or an encryption-only certificate; {@code enrolment.profile.<name>.keyUsage}).
 * Encryption is keyEncipherment for RSA keys and keyAgreement for EC keys (RFC 8550 §4.4.2).
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8823#section-3.3">RFC 8823 §3.3</a>
 */
public enum KeyUsageChoice {
    /** digitalSignature and the encryption bit: one certificate for both. */
    BOTH,
    /** digitalSignature only. */
    SIGNING,
    /** keyEncipherment (RSA) or keyAgreement (EC) only. */
    ENCRYPTION;

    /** The BouncyCastle {@link KeyUsage} bits for a key of {@code type}. */
    public int bits(KeyType type) {
        int encryption = type.isRsa() ? KeyUsage.keyEncipherment : KeyUsage.keyAgreement;
        switch (this) {
            case SIGNING:
                return KeyUsage.digitalSignature;
            case ENCRYPTION:
                return encryption;
            default:
                return KeyUsage.digitalSignature | encryption;
        }
    }
}
