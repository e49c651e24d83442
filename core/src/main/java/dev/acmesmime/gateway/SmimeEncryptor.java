package dev.acmesmime.gateway;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;
import java.util.List;

import org.bouncycastle.cms.CMSAlgorithm;
import org.bouncycastle.cms.CMSAuthEnvelopedDataGenerator;
import org.bouncycastle.cms.CMSEnvelopedDataGenerator;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.RecipientInfoGenerator;
import org.bouncycastle.cms.jcajce.JceCMSContentEncryptorBuilder;
import org.bouncycastle.cms.jcajce.JceKeyAgreeRecipientInfoGenerator;
import org.bouncycastle.cms.jcajce.JceKeyTransRecipientInfoGenerator;
import org.bouncycastle.operator.OutputAEADEncryptor;

/**
 * Encrypts a message to its recipients' certificates (G7): the content entity (content fields and
 * body, CRLF line ends) becomes an {@code application/pkcs7-mime} entity, the outer fields stay.
 * AES-256-GCM AuthEnvelopedData ({@code smime-type=authEnveloped-data}, RFC 5083, RFC 5084,
 * RFC 8551 §3.4) when every recipient is {@code gcmCapable}, otherwise AES-256-CBC EnvelopedData
 * ({@code smime-type=enveloped-data}), which every S/MIME 3 client reads. Each RSA recipient gets a
 * KeyTransRecipientInfo (RSAES-PKCS1-v1_5, the interoperable default), each EC recipient a
 * KeyAgreeRecipientInfo: ephemeral-static ECDH ({@code dhSinglePass-stdDH-sha256kdf-scheme}) with a
 * fresh key on the recipient's curve, the content key wrapped with AES-256 (RFC 5753).
 * The caller adds the sender's own certificate to the recipients, so the sent copy stays readable.
 */
final class SmimeEncryptor {

    GatewayResult encrypt(byte[] message, List<RecipientCertificate> recipients) {
        if (recipients.isEmpty()) {
            return GatewayResult.unchanged(GatewayCode.NO_RECIPIENT_CERTIFICATE, "no recipient certificate given");
        }
        MessageParts parts = MessageParts.split(message);
        byte[] entity = SevenBitContent.encode(parts.contentFields(), parts.body());
        boolean gcm = recipients.stream().allMatch(RecipientCertificate::gcmCapable);
        byte[] cms;
        try {
            cms = gcm ? authEnveloped(entity, recipients) : enveloped(entity, recipients);
        } catch (CMSException | GeneralSecurityException | IOException | RuntimeException e) {
            return GatewayResult.unchanged(GatewayCode.MALFORMED, "encryption failed: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " " + e.getMessage()));
        }
        String smimeType = gcm ? "authEnveloped-data" : "enveloped-data";
        ByteArrayOutputStream out = new ByteArrayOutputStream(cms.length * 4 / 3 + 512);
        out.writeBytes(MessageParts.ascii("Content-Type: application/pkcs7-mime; smime-type=" + smimeType
                + "; name=\"smime.p7m\"\r\nContent-Transfer-Encoding: base64\r\n"
                + "Content-Disposition: attachment; filename=\"smime.p7m\"\r\n\r\n"));
        out.writeBytes(Base64.getMimeEncoder(76, MessageParts.CRLF).encode(cms));
        out.writeBytes(MessageParts.CRLF);
        return GatewayResult.changed(GatewayCode.ENCRYPTED, "encrypted with " + (gcm ? "AES-256-GCM" : "AES-256-CBC")
                + " to " + recipients.size() + " certificate(s): " + String.join(", ",
                recipients.stream().map(RecipientCertificate::address).distinct().toList()), parts.rewrite(out.toByteArray()));
    }

    private static byte[] authEnveloped(byte[] entity, List<RecipientCertificate> recipients)
            throws CMSException, GeneralSecurityException, IOException {
        CMSAuthEnvelopedDataGenerator generator = new CMSAuthEnvelopedDataGenerator();
        for (RecipientCertificate r : recipients) {
            generator.addRecipientInfoGenerator(recipientInfo(r));
        }
        OutputAEADEncryptor encryptor = (OutputAEADEncryptor) new JceCMSContentEncryptorBuilder(CMSAlgorithm.AES256_GCM)
                .setProvider(Bc.PROVIDER).build();
        return generator.generate(new CMSProcessableByteArray(entity), encryptor).getEncoded();
    }

    private static byte[] enveloped(byte[] entity, List<RecipientCertificate> recipients)
            throws CMSException, GeneralSecurityException, IOException {
        CMSEnvelopedDataGenerator generator = new CMSEnvelopedDataGenerator();
        for (RecipientCertificate r : recipients) {
            generator.addRecipientInfoGenerator(recipientInfo(r));
        }
        return generator.generate(new CMSProcessableByteArray(entity),
                new JceCMSContentEncryptorBuilder(CMSAlgorithm.AES256_CBC).setProvider(Bc.PROVIDER).build()).getEncoded();
    }

    private static RecipientInfoGenerator recipientInfo(RecipientCertificate r) throws GeneralSecurityException {
        PublicKey key = r.certificate().getPublicKey();
        if (key instanceof RSAPublicKey) {
            return new JceKeyTransRecipientInfoGenerator(r.certificate()).setProvider(Bc.PROVIDER);
        }
        if (key instanceof ECPublicKey ec) {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC", Bc.PROVIDER);
            g.initialize(ec.getParams());
            KeyPair ephemeral = g.generateKeyPair();
            return new JceKeyAgreeRecipientInfoGenerator(CMSAlgorithm.ECDH_SHA256KDF, ephemeral.getPrivate(),
                    ephemeral.getPublic(), CMSAlgorithm.AES256_WRAP)
                    .addRecipient(r.certificate()).setProvider(Bc.PROVIDER);
        }
        throw new GeneralSecurityException("the certificate of " + r.address() + " has a " + key.getAlgorithm()
                + " key; only RSA and EC can be encrypted to");
    }
}
