package dev.acmesmime.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;

import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.cms.AttributeTable;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.smime.SMIMECapabilitiesAttribute;
import org.bouncycastle.asn1.smime.SMIMECapabilityVector;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoGeneratorBuilder;
import org.bouncycastle.operator.OperatorCreationException;

/**
 * A correspondent's signed mail whose SMIMECapabilities list AES-256-GCM first (then AES-256-CBC), as a client
 * that reads AuthEnvelopedData (RFC 5083, RFC 8551 §2.7) announces it; the gateway that learns the certificate
 * from it may then encrypt to it with AES-GCM (G7). Made with BouncyCastle's CMS because {@code openssl cms -sign}
 * lists CBC ciphers only. Detached {@code multipart/signed}, SHA-256, the signer's certificate included.
 */
final class GcmCapableMail {

    private GcmCapableMail() {
    }

    /** The whole mail from {@code from} to {@code to}, with {@code messageId}, CRLF line ends. */
    static byte[] signed(Correspondent from, String to, String subject, String messageId)
            throws IOException, GeneralSecurityException, OperatorCreationException, CMSException {
        String part = "Content-Type: text/plain; charset=us-ascii\r\n\r\nHello from " + from.address() + ".\r\n";
        SMIMECapabilityVector capabilities = new SMIMECapabilityVector();
        capabilities.addCapability(NISTObjectIdentifiers.id_aes256_GCM);
        capabilities.addCapability(NISTObjectIdentifiers.id_aes256_CBC);
        ASN1EncodableVector attributes = new ASN1EncodableVector();
        attributes.add(new SMIMECapabilitiesAttribute(capabilities));
        X509Certificate cert = from.issued().leaf();
        PrivateKey key = from.issued().key().getPrivate();
        CMSSignedDataGenerator generator = new CMSSignedDataGenerator();
        generator.addSignerInfoGenerator(new JcaSimpleSignerInfoGeneratorBuilder()
                .setSignedAttributeGenerator(new AttributeTable(attributes))
                .build(key.getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA", key, cert));
        generator.addCertificates(new JcaCertStore(List.of(cert)));
        byte[] signature = generator.generate(new CMSProcessableByteArray(part.getBytes(StandardCharsets.US_ASCII)), false)
                .getEncoded(ASN1Encoding.DER); // as clients send it (BouncyCastle's default is BER, indefinite lengths)
        String boundary = "gcm-capable-" + System.nanoTime();
        String mail = "From: " + from.address() + "\r\nTo: " + to + "\r\nSubject: " + subject + "\r\nMessage-ID: "
                + messageId + "\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: multipart/signed; protocol=\"application/pkcs7-signature\"; micalg=sha-256;"
                + " boundary=\"" + boundary + "\"\r\n\r\n--" + boundary + "\r\n" + part + "\r\n--" + boundary + "\r\n"
                + "Content-Type: application/pkcs7-signature; name=smime.p7s\r\nContent-Transfer-Encoding: base64\r\n"
                + "Content-Disposition: attachment; filename=smime.p7s\r\n\r\n"
                + Base64.getMimeEncoder(76, new byte[] {'\r', '\n'}).encodeToString(signature)
                + "\r\n--" + boundary + "--\r\n";
        return mail.getBytes(StandardCharsets.US_ASCII);
    }
}
