package dev.acmesmime.james.mailets;

import java.util.concurrent.TimeUnit;

import javax.mail.MessagingException;

import org.apache.james.lifecycle.api.LifecycleUtil;
import org.apache.mailet.Mail;
import org.apache.mailet.MailetContext;

/**
 * Hands a copy of a mail to James's spool and releases the copy. Every James 3.8.1 mail queue stores
 * its own clone ({@code MemoryMailQueueFactory.cloneMail}, the file and JPA queues serialise), so the
 * copy we made stays ours; left undisposed, it keeps the original's message source referenced and
 * James logs {@code Leak detected! … MimeMessageInputStreamSource$Resource} (issue 14 §0).
 */
public final class SpooledCopy {
    private SpooledCopy() {
    }

    /** Sends {@code copy} to processor {@code state} and disposes it, also when sending fails. */
    public static void send(MailetContext context, Mail copy, String state) throws MessagingException {
        try {
            context.sendMail(copy, state);
        } finally {
            LifecycleUtil.dispose(copy);
        }
    }

    /**
     * As {@link #send(MailetContext, Mail, String)}, to be processed after {@code delay} {@code unit}s. James 3.8.1
     * honours any unit: {@code JamesMailetContext} passes both to {@code MailQueue.enQueue(mail, delay, unit)},
     * which turns them into a {@code Duration} for the queue.
     */
    static void sendLater(MailetContext context, Mail copy, String state, long delay, TimeUnit unit)
            throws MessagingException {
        try {
            context.sendMail(copy, state, delay, unit);
        } finally {
            LifecycleUtil.dispose(copy);
        }
    }
}
