package dev.acmesmime.james.mailets;

import java.io.ByteArrayInputStream;
import java.util.List;
import java.util.Properties;

import javax.mail.MessagingException;
import javax.mail.Session;
import javax.mail.internet.MimeMessage;

import org.apache.james.core.MailAddress;
import org.apache.mailet.MailetContext;

import dev.acmesmime.organisation.ResponseSender;
import dev.acmesmime.store.OutgoingResponse;

/**
 * Hands a response from the store's response outbox to James's spool with
 * {@code MailetContext.sendMail} (MAIL FROM the mailbox, RCPT TO the response's To); from there it
 * leaves through {@code transport} like any mail. Returning means the spool took it.
 */
final class ResponseSpool implements ResponseSender {
    private final MailetContext context;

    ResponseSpool(MailetContext context) {
        this.context = context;
    }

    @Override
    public void send(OutgoingResponse queued) throws MessagingException {
        OutboxTestHooks.refuseSpoolIfAsked();
        OutgoingResponse.Content response = queued.content();
        MimeMessage message = new MimeMessage(Session.getDefaultInstance(new Properties()),
                new ByteArrayInputStream(response.message()));
        context.sendMail(new MailAddress(response.envelopeSender()), List.of(new MailAddress(response.recipient())),
                message);
    }
}
