package dev.acmesmime.james.gateway;

import java.util.Date;
import java.util.List;
import java.util.Properties;
import java.util.stream.Collectors;

import javax.mail.Message;
import javax.mail.MessagingException;
import javax.mail.Session;
import javax.mail.internet.InternetAddress;
import javax.mail.internet.MimeMessage;

import org.apache.james.core.MailAddress;

/**
 * The short notice a sender gets when the gateway held their mail (G8): from the postmaster, naming
 * the recipients it was not sent to and why, and the held mail's Subject and Message-ID so the sender
 * knows which mail it was. It carries {@code Auto-Submitted: auto-generated} (RFC 3834), so no
 * auto-responder answers it, and none of the held mail's content.
 */
final class SenderNotice {
    static final String SUBJECT_PREFIX = "Not sent: encryption required for ";

    private SenderNotice() {
    }

    static MimeMessage compose(MailAddress postmaster, MailAddress sender, List<MailAddress> held, MimeMessage original,
                               String repository) throws MessagingException {
        String recipients = held.stream().map(MailAddress::asString).collect(Collectors.joining(", "));
        MimeMessage notice = new MimeMessage(Session.getDefaultInstance(new Properties()));
        notice.setFrom(new InternetAddress(postmaster.asString()));
        notice.setRecipient(Message.RecipientType.TO, new InternetAddress(sender.asString()));
        notice.setSubject(SUBJECT_PREFIX + recipients, "UTF-8");
        notice.setSentDate(new Date());
        notice.setHeader("Auto-Submitted", "auto-generated");
        String subject = original.getSubject();
        String messageId = original.getMessageID();
        notice.setText("Your mail was not sent to " + recipients + ".\n\n"
                + "The organisation's policy requires mail to " + (held.size() == 1 ? "this recipient" : "these recipients")
                + " to be encrypted with S/MIME, and no valid certificate is known for "
                + (held.size() == 1 ? "it" : "them") + ".\n"
                + "The mail is held by the mail server (" + repository + "); your administrator can send it on\n"
                + "once a certificate is known, for instance after the recipient has sent you a signed mail.\n\n"
                + "Subject: " + (subject == null ? "(none)" : subject) + "\n"
                + "Message-ID: " + (messageId == null ? "(none)" : messageId) + "\n", "UTF-8");
        notice.saveChanges(); // a new message of our own: JavaMail may set its MIME headers
        return notice;
    }
}
