package dev.acmesmime.james.gateway;

import java.util.Locale;

import javax.mail.MessagingException;
import javax.mail.internet.ContentType;
import javax.mail.internet.MimeMessage;
import javax.mail.internet.ParseException;

/**
 * What a message's top-level {@code Content-Type} says about its S/MIME protection, read from the
 * header alone so that the gateway never serialises a mail it has nothing to do with.
 * {@code application/pkcs7-mime} (or the old {@code x-} form) is enveloped unless its
 * {@code smime-type} says {@code signed-data} or {@code certs-only} (RFC 8551 §3.2.2).
 */
final class MimeShape {
    private MimeShape() {
    }

    /** Enveloped or auth-enveloped data: nothing for the gateway to encrypt, something to decrypt. */
    static boolean encrypted(MimeMessage message) throws MessagingException {
        ContentType type = type(message);
        if (type == null || !pkcs7Mime(type)) {
            return false;
        }
        String smimeType = type.getParameter("smime-type");
        String t = smimeType == null ? "" : smimeType.toLowerCase(Locale.ROOT);
        return !t.equals("signed-data") && !t.equals("certs-only");
    }

    /** {@code multipart/signed}, or opaque {@code signed-data}: a signature a harvest may verify. */
    static boolean signed(MimeMessage message) throws MessagingException {
        ContentType type = type(message);
        if (type == null) {
            return false;
        }
        if (type.match("multipart/signed")) {
            return true;
        }
        String smimeType = type.getParameter("smime-type");
        return pkcs7Mime(type) && "signed-data".equalsIgnoreCase(smimeType);
    }

    private static boolean pkcs7Mime(ContentType type) {
        return type.match("application/pkcs7-mime") || type.match("application/x-pkcs7-mime");
    }

    private static ContentType type(MimeMessage message) throws MessagingException {
        String[] fields = message.getHeader("Content-Type");
        if (fields == null || fields.length == 0) {
            return null;
        }
        try {
            return new ContentType(fields[0]);
        } catch (ParseException e) {
            return null;
        }
    }
}
