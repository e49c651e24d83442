package dev.acmesmime.james.gateway;

import java.io.ByteArrayInputStream;
import java.util.Properties;

import javax.mail.MessagingException;
import javax.mail.Session;
import javax.mail.internet.MimeMessage;

import org.apache.mailet.Mail;

/**
 * Puts the bytes core returned into a mail as its message. The message is parsed from those bytes
 * and written out again exactly as they are (JavaMail keeps an unmodified parsed body): a signature
 * or an envelope core made stays intact, as long as nobody calls {@code saveChanges()} on it.
 */
final class NewMessage {
    private static final Session SESSION = Session.getDefaultInstance(new Properties());

    private NewMessage() {
    }

    static void replace(Mail mail, byte[] message) throws MessagingException {
        mail.setMessage(new MimeMessage(SESSION, new ByteArrayInputStream(message)));
    }
}
