package dev.acmesmime.james.mailets;

import java.io.ByteArrayInputStream;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Supplier;

import javax.mail.MessagingException;
import javax.mail.Session;
import javax.mail.internet.MimeMessage;

import org.apache.james.core.MailAddress;
import org.apache.james.lifecycle.api.LifecycleUtil;
import org.apache.james.server.core.MailImpl;
import org.apache.mailet.Mail;
import org.apache.mailet.MailetContext;

import dev.acmesmime.james.runtime.ChallengeLane;
import dev.acmesmime.organisation.ResponseSender;
import dev.acmesmime.store.OutgoingResponse;

/**
 * Hands a response from the store's response outbox to James (MAIL FROM the mailbox, RCPT TO the
 * response's To); from there it leaves through {@code transport} like any mail. It takes the challenge
 * lane when one runs and has room ({@link ChallengeLane}: a response must not wait behind a flood in the
 * spool), else James's spool with {@code MailetContext.sendMail}. Returning means one of them took it.
 */
final class ResponseSpool implements ResponseSender {
    private final MailetContext context;
    /** Asked at each send: the SMTP hook may start the lane after the responder's {@code init()}. */
    private final Supplier<Optional<ChallengeLane>> lane;

    ResponseSpool(MailetContext context, Supplier<Optional<ChallengeLane>> lane) {
        this.context = context;
        this.lane = lane;
    }

    @Override
    public void send(OutgoingResponse queued) throws MessagingException {
        OutboxTestHooks.refuseSpoolIfAsked();
        OutgoingResponse.Content response = queued.content();
        MimeMessage message = new MimeMessage(Session.getDefaultInstance(new Properties()),
                new ByteArrayInputStream(response.message()));
        MailAddress sender = new MailAddress(response.envelopeSender());
        List<MailAddress> recipients = List.of(new MailAddress(response.recipient()));
        Optional<ChallengeLane> running = lane.get();
        if (running.isEmpty() || !toLane(running.get(), sender, recipients, message)) {
            context.sendMail(sender, recipients, message);
        }
    }

    private static boolean toLane(ChallengeLane lane, MailAddress sender, List<MailAddress> recipients, MimeMessage message)
            throws MessagingException {
        MailImpl mail = MailImpl.builder().name(MailImpl.getId()).sender(sender).addRecipients(recipients)
                .mimeMessage(message).state(Mail.DEFAULT).build();
        try {
            mail.setAttribute(Mail.SENT_BY_MAILET_ATTRIBUTE); // as MailetContext.sendMail marks it
            return lane.offer(mail);
        } finally {
            LifecycleUtil.dispose(mail);
        }
    }
}
