package dev.acmesmime.gateway;

import java.io.IOException;
import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAKey;
import java.util.Locale;
import java.util.Optional;

import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cms.CMSAuthEnvelopedData;
import org.bouncycastle.cms.CMSEnvelopedData;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.Recipient;
import org.bouncycastle.cms.RecipientInformation;
import org.bouncycastle.cms.RecipientInformationStore;
import org.bouncycastle.cms.jcajce.JceKeyAgreeEnvelopedRecipient;
import org.bouncycastle.cms.jcajce.JceKeyTransAuthEnvelopedRecipient;
import org.bouncycastle.cms.jcajce.JceKeyTransEnvelopedRecipient;

import dev.acmesmime.smime.RawEntity;
import dev.acmesmime.smime.SmimeStructure;

/**
 * Decrypts a message enveloped to a local mailbox's enrolled certificate (G9): EnvelopedData or
 * AuthEnvelopedData (the CMS content type decides, not the {@code smime-type} parameter), with the
 * RecipientInfo naming the certificate by issuer and serial or by subject key identifier. The new
 * message is the outer fields of the encrypted one and the decrypted entity. A message enveloped
 * only to other certificates is {@link GatewayCode#NOT_FOR_US}; a damaged or tampered one (GCM tag,
 * padding, wrong key) {@link GatewayCode#DECRYPT_FAILED}.
 */
final class SmimeDecryptor {

    GatewayResult decrypt(byte[] message, SigningIdentity identity) {
        MessageParts parts = MessageParts.split(message);
        RawEntity outer = parts.message();
        String type = outer.contentType().getMimeType().toLowerCase(Locale.ROOT);
        if (!type.equals("application/pkcs7-mime") && !type.equals("application/x-pkcs7-mime")) {
            return GatewayResult.unchanged(GatewayCode.NOT_PROTECTED, "Content-Type " + type + " is not application/pkcs7-mime");
        }
        Optional<byte[]> der = outer.decodedBody();
        if (der.isEmpty() || der.get().length == 0) {
            return GatewayResult.unchanged(GatewayCode.MALFORMED, "application/pkcs7-mime body is empty or not base64");
        }
        ContentInfo info;
        try {
            info = ContentInfo.getInstance(der.get());
        } catch (RuntimeException e) {
            return GatewayResult.unchanged(GatewayCode.MALFORMED, "body is not a CMS ContentInfo: " + SmimeStructure.describe(e));
        }
        boolean auth = CMSObjectIdentifiers.authEnvelopedData.equals(info.getContentType());
        if (!auth && !CMSObjectIdentifiers.envelopedData.equals(info.getContentType())) {
            return GatewayResult.unchanged(GatewayCode.NOT_PROTECTED, "CMS content " + info.getContentType()
                    + " is neither EnvelopedData nor AuthEnvelopedData");
        }
        try {
            RecipientInformationStore store = auth ? new CMSAuthEnvelopedData(info).getRecipientInfos()
                    : new CMSEnvelopedData(info).getRecipientInfos();
            RecipientInformation recipient = find(store, identity.leaf());
            if (recipient == null) {
                return GatewayResult.unchanged(GatewayCode.NOT_FOR_US, "none of the " + store.size()
                        + " recipient(s) is the certificate of " + identity.mailbox());
            }
            byte[] entity = recipient.getContent(recipientFor(identity.key(), auth));
            return GatewayResult.changed(GatewayCode.DECRYPTED, "decrypted with the certificate of " + identity.mailbox()
                    + " (" + (auth ? "AuthEnvelopedData" : "EnvelopedData") + ")", parts.rewrite(entity));
        } catch (CMSException | RuntimeException e) {
            return GatewayResult.unchanged(GatewayCode.DECRYPT_FAILED, "decryption failed: " + SmimeStructure.describe(e));
        }
    }

    /** The RecipientInfo for {@code leaf}: KeyTrans or KeyAgree, by issuer and serial or by subject key identifier. */
    private static RecipientInformation find(RecipientInformationStore store, X509Certificate leaf) {
        X509CertificateHolder holder;
        try {
            holder = new X509CertificateHolder(leaf.getEncoded());
        } catch (CertificateEncodingException | IOException e) {
            return null;
        }
        for (RecipientInformation r : store.getRecipients()) {
            // BC's recipient identifiers match a certificate holder by issuer and serial, or by its SKI extension
            if (r.getRID().match(holder)) {
                return r;
            }
        }
        return null;
    }

    private static Recipient recipientFor(PrivateKey key, boolean auth) {
        if (key instanceof RSAKey) {
            return auth ? new JceKeyTransAuthEnvelopedRecipient(key).setProvider(Bc.PROVIDER)
                    : new JceKeyTransEnvelopedRecipient(key).setProvider(Bc.PROVIDER);
        }
        return new JceKeyAgreeEnvelopedRecipient(key).setProvider(Bc.PROVIDER);
    }
}
