package dev.acmesmime.demo;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Date;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;

import javax.mail.Folder;
import javax.mail.Message;
import javax.mail.MessagingException;
import javax.mail.Session;
import javax.mail.Store;
import javax.mail.internet.InternetAddress;
import javax.mail.internet.MimeMessage;

import com.sun.mail.smtp.SMTPTransport;

/**
 * A user's mail client, as far as the demo needs one, with JavaMail (James's own, on the demo's
 * classpath): sends a short text mail over SMTP with AUTH PLAIN, and reads one mail back from an INBOX
 * over IMAP, byte for byte.
 */
final class DemoMail {

    private static final long POLL_MILLIS = 250;

    private DemoMail() {
    }

    /** A short plain-text mail from {@code from} to {@code to} with a Message-ID of its own, ready to send. */
    static MimeMessage compose(String from, String to, String subject, String text) throws MessagingException {
        MimeMessage m = new MimeMessage(session(0)) {
            @Override
            protected void updateMessageID() throws MessagingException {
                setHeader("Message-ID", "<demo-" + UUID.randomUUID() + "@" + DemoConf.ORG_DOMAIN + ">");
            }
        };
        m.setFrom(new InternetAddress(from));
        m.setRecipient(Message.RecipientType.TO, new InternetAddress(to));
        m.setSubject(subject);
        m.setSentDate(new Date());
        m.setText(text, StandardCharsets.US_ASCII.name());
        m.saveChanges();
        return m;
    }

    /**
     * Sends {@code message} to the SMTP server on {@code port}, logged in as {@code user}. conf/org does not
     * announce AUTH on loopback ({@code <announce>never</announce>}), so JavaMail would not log in by itself;
     * James takes AUTH PLAIN all the same, and the gateway signs only for a logged-in From mailbox (G1).
     */
    static void submit(int port, String user, String password, MimeMessage message) throws MessagingException {
        SMTPTransport smtp = (SMTPTransport) session(port).getTransport("smtp");
        smtp.connect("127.0.0.1", port, null, null);
        try {
            String plain = "\0" + user + "\0" + password;
            smtp.issueCommand("AUTH PLAIN " + Base64.getEncoder().encodeToString(plain.getBytes(StandardCharsets.UTF_8)), 235);
            smtp.sendMessage(message, message.getAllRecipients());
        } finally {
            smtp.close();
        }
    }

    /**
     * The mail with {@code messageId} in {@code user}'s INBOX over IMAP on {@code port}, as bytes, polled
     * until it is there or {@code limit} has passed; empty then. A poll that fails (the INBOX does not exist
     * before the first delivery) is tried again; the last failure is in {@code lastError}.
     */
    static Optional<byte[]> await(int port, String user, String password, String messageId, Duration limit,
                                  StringBuilder lastError) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        do {
            try {
                Optional<byte[]> found = find(port, user, password, messageId);
                if (found.isPresent()) {
                    return found;
                }
            } catch (MessagingException | IOException e) {
                lastError.setLength(0);
                lastError.append(e);
            }
            Thread.sleep(POLL_MILLIS);
        } while (System.nanoTime() < deadline);
        return Optional.empty();
    }

    private static Optional<byte[]> find(int port, String user, String password, String messageId)
            throws MessagingException, IOException {
        Store store = session(port).getStore("imap");
        store.connect("127.0.0.1", port, user, password);
        try {
            Folder inbox = store.getFolder("INBOX");
            inbox.open(Folder.READ_ONLY);
            try {
                for (Message m : inbox.getMessages()) {
                    String[] ids = m.getHeader("Message-ID");
                    if (ids != null && messageId.equals(ids[0].trim())) {
                        ByteArrayOutputStream raw = new ByteArrayOutputStream();
                        m.writeTo(raw);
                        return Optional.of(raw.toByteArray());
                    }
                }
                return Optional.empty();
            } finally {
                inbox.close(false);
            }
        } finally {
            store.close();
        }
    }

    private static Session session(int port) {
        Properties p = new Properties();
        p.setProperty("mail.smtp.host", "127.0.0.1");
        p.setProperty("mail.smtp.port", Integer.toString(port));
        p.setProperty("mail.smtp.connectiontimeout", "10000");
        p.setProperty("mail.smtp.timeout", "10000");
        p.setProperty("mail.imap.connectiontimeout", "10000");
        p.setProperty("mail.imap.timeout", "10000");
        return Session.getInstance(p);
    }
}
