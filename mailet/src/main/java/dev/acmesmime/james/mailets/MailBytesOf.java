package dev.acmesmime.james.mailets;

import java.io.ByteArrayOutputStream;
import java.io.IOException;

import javax.mail.MessagingException;

import org.apache.mailet.Mail;

import dev.acmesmime.ca.InboundResponse;

/** Bridges James's {@link Mail} to core's James-free inputs (public for the S/MIME gateway's mailets). */
public final class MailBytesOf {
    private MailBytesOf() {
    }

    /** The message as James holds it, byte for byte (DKIM needs the original bytes). */
    public static byte[] raw(Mail mail) throws MessagingException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            mail.getMessage().writeTo(out);
        } catch (IOException e) {
            throw new MessagingException("cannot read " + mail.getName(), e);
        }
        return out.toByteArray();
    }

    static InboundResponse inbound(Mail mail) throws MessagingException {
        return new InboundResponse(raw(mail),
                mail.getMaybeSender().asOptional().map(a -> a.asString()).orElse(""),
                mail.getRecipients().stream().map(a -> a.asString()).toList(),
                nonNull(mail.getRemoteAddr()), nonNull(mail.getRemoteHost()));
    }

    private static String nonNull(String s) {
        return s == null ? "" : s;
    }
}
