package dev.acmesmime.gateway;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateEncodingException;
import java.security.interfaces.RSAKey;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;

import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.cms.AttributeTable;
import org.bouncycastle.asn1.cms.CMSAttributes;
import org.bouncycastle.asn1.cms.Time;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.smime.SMIMECapabilitiesAttribute;
import org.bouncycastle.asn1.smime.SMIMECapability;
import org.bouncycastle.asn1.smime.SMIMECapabilityVector;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.DefaultSignedAttributeTableGenerator;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

/**
 * Signs a message with its sender's own certificate (G4, G5): a detached {@code multipart/signed}
 * (RFC 8551 §3.5.3) whose first part is the message's content entity made 7-bit safe
 * ({@link SevenBitContent}) and whose second part, {@code smime.p7s}, is a CMS SignedData over it:
 * SHA-256 with RSA (PKCS#1 v1.5) or ECDSA by the key's type, the whole chain included, signed
 * attributes contentType, messageDigest, signingTime (from the clock) and SMIMECapabilities
 * (AES-256-GCM, AES-128-GCM, AES-256-CBC, AES-128-CBC, so that correspondents may encrypt back with
 * GCM). With header protection (RFC 9788 §2), From, To, Cc, Subject, Date and Message-ID are copied
 * into the signed part, whose Content-Type gets {@code hp="clear"}. Whether to sign at all (G1, G3)
 * is the caller's.
 */
final class SmimeSigner {

    /** RFC 9788 §2: the header fields copied into the signed part. */
    static final List<String> PROTECTED_FIELDS = List.of("From", "To", "Cc", "Subject", "Date", "Message-ID");

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Clock clock;

    SmimeSigner(Clock clock) {
        this.clock = clock;
    }

    GatewayResult sign(byte[] message, SigningIdentity identity, boolean headerProtection) {
        MessageParts parts = MessageParts.split(message);
        List<byte[]> fields = headerProtection ? protectedFields(parts) : parts.contentFields();
        byte[] signedPart = SevenBitContent.encode(fields, parts.body());
        byte[] signature;
        try {
            signature = signature(signedPart, identity);
        } catch (CMSException | OperatorCreationException | CertificateEncodingException e) {
            return GatewayResult.unchanged(GatewayCode.MALFORMED, "the signature could not be made with "
                    + identity + ": " + e.getClass().getSimpleName());
        }
        String boundary = "----=_smime_" + HexFormat.of().formatHex(randomBytes());
        ByteArrayOutputStream out = new ByteArrayOutputStream(signedPart.length + signature.length * 2);
        out.writeBytes(MessageParts.ascii("Content-Type: multipart/signed; protocol=\"application/pkcs7-signature\";"
                + " micalg=sha-256;\r\n\tboundary=\"" + boundary + "\"\r\n\r\n"
                + "This is an S/MIME signed message.\r\n\r\n--" + boundary + "\r\n"));
        out.writeBytes(signedPart);
        out.writeBytes(MessageParts.ascii("\r\n--" + boundary + "\r\n"
                + "Content-Type: application/pkcs7-signature; name=\"smime.p7s\"\r\n"
                + "Content-Transfer-Encoding: base64\r\n"
                + "Content-Disposition: attachment; filename=\"smime.p7s\"\r\n"
                + "Content-Description: S/MIME Cryptographic Signature\r\n\r\n"));
        out.writeBytes(Base64.getMimeEncoder(76, MessageParts.CRLF).encode(signature));
        out.writeBytes(MessageParts.ascii("\r\n--" + boundary + "--\r\n"));
        return GatewayResult.changed(GatewayCode.SIGNED, "signed with the certificate of " + identity.mailbox()
                + " (serial " + identity.leaf().getSerialNumber().toString(16) + ")"
                + (headerProtection ? ", header protected" : ""), parts.rewrite(out.toByteArray()));
    }

    private static byte[] randomBytes() {
        byte[] b = new byte[12];
        RANDOM.nextBytes(b);
        return b;
    }

    /** The content fields with {@code hp="clear"} on Content-Type, then copies of the outer protected fields. */
    private static List<byte[]> protectedFields(MessageParts parts) {
        List<byte[]> out = new ArrayList<>();
        boolean typed = false;
        for (byte[] f : parts.contentFields()) {
            String line = new String(f, StandardCharsets.ISO_8859_1);
            if (line.regionMatches(true, 0, "Content-Type:", 0, 13)) {
                line = line.substring(0, line.length() - 2) + "; hp=\"clear\"\r\n";
                typed = true;
            }
            out.add(line.getBytes(StandardCharsets.ISO_8859_1));
        }
        if (!typed) {
            out.add(0, MessageParts.ascii("Content-Type: text/plain; charset=us-ascii; hp=\"clear\"\r\n"));
        }
        for (String name : PROTECTED_FIELDS) {
            out.addAll(parts.outerFields(name));
        }
        return out;
    }

    private byte[] signature(byte[] content, SigningIdentity identity)
            throws CMSException, OperatorCreationException, CertificateEncodingException {
        PrivateKey key = identity.key();
        String algorithm = key instanceof RSAKey ? "SHA256withRSA" : "SHA256withECDSA";
        ASN1EncodableVector attributes = new ASN1EncodableVector();
        attributes.add(new Attribute(CMSAttributes.signingTime, new DERSet(new Time(Date.from(clock.instant())))));
        attributes.add(new SMIMECapabilitiesAttribute(capabilities()));
        CMSSignedDataGenerator generator = new CMSSignedDataGenerator();
        generator.addSignerInfoGenerator(new JcaSignerInfoGeneratorBuilder(
                new JcaDigestCalculatorProviderBuilder().setProvider(Bc.PROVIDER).build())
                .setSignedAttributeGenerator(new DefaultSignedAttributeTableGenerator(new AttributeTable(attributes)))
                .build(new JcaContentSignerBuilder(algorithm).setProvider(Bc.PROVIDER).build(key), identity.leaf()));
        generator.addCertificates(new JcaCertStore(identity.chain()));
        try {
            return generator.generate(new CMSProcessableByteArray(content), false).getEncoded();
        } catch (IOException e) {
            throw new CMSException("encoding the SignedData failed", e);
        }
    }

    /** RFC 8551 §2.5.2: what we read, strongest first. */
    private static SMIMECapabilityVector capabilities() {
        SMIMECapabilityVector v = new SMIMECapabilityVector();
        v.addCapability(NISTObjectIdentifiers.id_aes256_GCM);
        v.addCapability(NISTObjectIdentifiers.id_aes128_GCM);
        v.addCapability(SMIMECapability.aES256_CBC);
        v.addCapability(SMIMECapability.aES128_CBC);
        return v;
    }
}
