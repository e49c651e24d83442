package dev.acmesmime.james.gateway;

import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;

import org.apache.mailet.Mail;

/**
 * A copy of a mail with a message of its own, so that marking or replacing one copy's message never
 * shows in another. James's own {@code Mail.duplicate()} copies on write already; other {@link Mail}
 * implementations (the mailet test kit's among them) share the message object. The copy is parsed
 * from the original's bytes, so it writes them out unchanged.
 */
final class MailCopy {
    private MailCopy() {
    }

    static Mail of(Mail mail) throws MessagingException {
        Mail copy = mail.duplicate();
        copy.setMessage(new MimeMessage(mail.getMessage()));
        return copy;
    }
}
