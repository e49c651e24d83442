package dev.acmesmime.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.mail.Message;
import javax.mail.internet.MimeMessage;

import org.apache.commons.net.smtp.AuthenticatingSMTPClient;
import org.apache.commons.net.smtp.SMTPReply;

import dev.acmesmime.james.it.OrgJames;

/**
 * A mail client's two jobs against one James: submit over SMTP, with {@code AUTH PLAIN} as a user (or
 * without, as another server would), and read a mailbox's INBOX over IMAP as whole messages, byte for
 * byte as James serves them, so that OpenSSL can check what arrived.
 *
 * @param smtpPort James's SMTP port on loopback
 * @param imapPort James's IMAP port on loopback
 */
record SubmissionAndInbox(int smtpPort, int imapPort) {

    /** A text mail of about {@code size} bytes, header and body. */
    static byte[] textMail(String from, String to, String messageId, String subject, int size) {
        StringBuilder b = new StringBuilder("From: " + from + "\r\nTo: " + to + "\r\nSubject: " + subject
                + "\r\nDate: Mon, 7 Dec 2026 09:00:00 +0000\r\nMessage-ID: " + messageId
                + "\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=US-ASCII\r\n\r\n");
        for (int i = 0; b.length() < size; i++) {
            b.append("Line ").append(i).append(" of the quarterly figures, which only the addressee may read.\r\n");
        }
        return b.toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** Submits {@code message} from {@code from} to {@code to}; {@code user} null: without authentication. */
    void submit(String user, String password, String from, String to, byte[] message) throws Exception {
        AuthenticatingSMTPClient smtp = new AuthenticatingSMTPClient();
        smtp.connect("127.0.0.1", smtpPort);
        try {
            assertThat(SMTPReply.isPositiveCompletion(smtp.ehlo("client.test"))).as(smtp.getReplyString()).isTrue();
            if (user != null) {
                assertThat(smtp.auth(AuthenticatingSMTPClient.AUTH_METHOD.PLAIN, user, password))
                        .as("AUTH PLAIN %s: %s", user, smtp.getReplyString()).isTrue();
            }
            assertThat(smtp.setSender(from)).as(smtp.getReplyString()).isTrue();
            assertThat(smtp.addRecipient(to)).as(smtp.getReplyString()).isTrue();
            assertThat(smtp.sendShortMessageData(new String(message, StandardCharsets.ISO_8859_1)))
                    .as(smtp.getReplyString()).isTrue();
            assertThat(SMTPReply.isPositiveCompletion(smtp.getReplyCode())).isTrue();
            smtp.logout();
        } finally {
            smtp.disconnect();
        }
    }

    /** The whole message with {@code messageId} in the INBOX of {@code user}, waiting up to a minute for it. */
    byte[] awaitMessage(String user, String password, String messageId) {
        return await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                .until(() -> inbox(user, password).get(messageId), m -> m != null);
    }

    /** Message-ID → the whole message, of every message in the INBOX of {@code user}. */
    Map<String, byte[]> inbox(String user, String password) throws Exception {
        return OrgJames.readInbox(imapPort, user, password, messages -> {
            Map<String, byte[]> byId = new LinkedHashMap<>();
            for (Message m : messages) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                m.writeTo(out);
                byId.put(((MimeMessage) m).getMessageID(), out.toByteArray());
            }
            return byId;
        });
    }
}
