package dev.acmesmime.james.webadmin;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Date;
import java.util.Properties;

import javax.activation.DataHandler;
import javax.mail.MessagingException;
import javax.mail.Session;
import javax.mail.internet.InternetAddress;
import javax.mail.internet.MimeBodyPart;
import javax.mail.internet.MimeMessage;
import javax.mail.internet.MimeMultipart;
import javax.mail.util.ByteArrayDataSource;

/**
 * The mail that brings a user their PKCS#12 (issue 16 §3): a short text saying what it is and how to install
 * it, and the file as an attachment. The password is not in it: the admin got it in the WebAdmin answer and
 * hands it over another way.
 */
final class Pkcs12Mail {
    static final String SUBJECT = "Your S/MIME certificate and key";
    static final String TYPE = "application/x-pkcs12";

    private Pkcs12Mail() {
    }

    /** The whole message, CRLF line ends, from {@code postmaster@} the mailbox's domain. */
    static byte[] compose(String mailbox, byte[] pkcs12, Date date) throws MessagingException, IOException {
        MimeMessage message = new MimeMessage(Session.getInstance(new Properties()));
        String domain = mailbox.substring(mailbox.lastIndexOf('@') + 1);
        message.setFrom(new InternetAddress("postmaster@" + domain, "S/MIME gateway"));
        message.setRecipient(MimeMessage.RecipientType.TO, new InternetAddress(mailbox));
        message.setSubject(SUBJECT, "UTF-8");
        message.setSentDate(date);
        MimeBodyPart text = new MimeBodyPart();
        text.setText("The attached file " + fileName(mailbox) + " holds your S/MIME certificate and its private key.\r\n"
                + "Open it in your mail client (or your system's certificate manager) to sign and read encrypted mail\r\n"
                + "there too. Your administrator gives you its one-time password separately; keep the file private.\r\n",
                "UTF-8");
        MimeBodyPart file = new MimeBodyPart();
        file.setDataHandler(new DataHandler(new ByteArrayDataSource(pkcs12, TYPE)));
        file.setFileName(fileName(mailbox));
        file.setDisposition(MimeBodyPart.ATTACHMENT);
        message.setContent(new MimeMultipart(text, file));
        message.saveChanges();
        ByteArrayOutputStream out = new ByteArrayOutputStream(pkcs12.length * 2 + 1024);
        message.writeTo(out);
        return out.toByteArray();
    }

    /** {@code alice@org.example.p12}. */
    static String fileName(String mailbox) {
        return mailbox + ".p12";
    }
}
