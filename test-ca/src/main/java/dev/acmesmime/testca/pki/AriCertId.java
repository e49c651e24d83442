package dev.acmesmime.testca.pki;

import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.util.Base64;

import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.Extension;

/**
 * The ACME Renewal Information certificate identifier of RFC 9773 §4.1: base64url (no padding) of the
 * Authority Key Identifier's keyIdentifier bytes, a {@code .}, and base64url (no padding) of the serial
 * number's DER INTEGER content bytes (with the leading zero byte a positive serial with its high bit set
 * needs, which is what {@link BigInteger#toByteArray()} gives).
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc9773#section-4.1">RFC 9773 §4.1</a>
 */
public final class AriCertId {
    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();

    private AriCertId() {
    }

    public static String of(byte[] authorityKeyId, BigInteger serial) {
        return B64URL.encodeToString(authorityKeyId) + "." + B64URL.encodeToString(serial.toByteArray());
    }

    /** The certificate's own identifier; it must carry an AKI with a keyIdentifier, as every issued one does. */
    public static String of(X509Certificate certificate) {
        byte[] ext = certificate.getExtensionValue(Extension.authorityKeyIdentifier.getId());
        if (ext == null) {
            throw new IllegalArgumentException("certificate has no Authority Key Identifier");
        }
        AuthorityKeyIdentifier aki = AuthorityKeyIdentifier.getInstance(ASN1OctetString.getInstance(ext).getOctets());
        if (aki.getKeyIdentifier() == null) {
            throw new IllegalArgumentException("Authority Key Identifier has no keyIdentifier");
        }
        return of(aki.getKeyIdentifier(), certificate.getSerialNumber());
    }
}
