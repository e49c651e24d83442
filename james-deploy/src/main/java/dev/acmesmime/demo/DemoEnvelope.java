package dev.acmesmime.demo;

import java.util.Map;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.cms.AuthEnvelopedData;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.asn1.cms.EnvelopedData;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;

import dev.acmesmime.smime.RawEntity;

/**
 * How an encrypted mail is enveloped, read from its CMS structure rather than from what the gateway says
 * about it: the content type (AuthEnvelopedData, EnvelopedData), the content cipher, and how many
 * certificates it is encrypted to (G7: every recipient's and the sender's own).
 */
final class DemoEnvelope {

    private static final Map<ASN1ObjectIdentifier, String> CIPHERS = Map.of(
            NISTObjectIdentifiers.id_aes256_GCM, "AES-256-GCM", NISTObjectIdentifiers.id_aes256_CBC, "AES-256-CBC",
            NISTObjectIdentifiers.id_aes128_GCM, "AES-128-GCM", NISTObjectIdentifiers.id_aes128_CBC, "AES-128-CBC");

    private DemoEnvelope() {
    }

    /** E.g. "AES-256-GCM authEnveloped-data to 2 certificates"; "not enveloped (…)" for anything else. */
    static String describe(byte[] mail) {
        RawEntity outer = RawEntity.parse(mail);
        byte[] der = outer.decodedBody().orElse(new byte[0]);
        ContentInfo info;
        try {
            info = ContentInfo.getInstance(der);
        } catch (RuntimeException e) {
            return "not enveloped (" + outer.contentType().getMimeType() + ")";
        }
        if (CMSObjectIdentifiers.authEnvelopedData.equals(info.getContentType())) {
            AuthEnvelopedData a = AuthEnvelopedData.getInstance(info.getContent());
            return cipher(a.getAuthEncryptedContentInfo().getContentEncryptionAlgorithm().getAlgorithm())
                    + " authEnveloped-data to " + a.getRecipientInfos().size() + " certificates";
        }
        if (CMSObjectIdentifiers.envelopedData.equals(info.getContentType())) {
            EnvelopedData e = EnvelopedData.getInstance(info.getContent());
            return cipher(e.getEncryptedContentInfo().getContentEncryptionAlgorithm().getAlgorithm())
                    + " enveloped-data to " + e.getRecipientInfos().size() + " certificates";
        }
        return "not enveloped (CMS " + info.getContentType() + ")";
    }

    private static String cipher(ASN1ObjectIdentifier oid) {
        return CIPHERS.getOrDefault(oid, oid.getId());
    }
}
