package dev.acmesmime.james.mailets;

import java.util.Collection;

import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;

import org.apache.james.core.MailAddress;
import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeName;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;
import org.apache.mailet.MailetContext;
import org.apache.mailet.base.GenericMailet;

/**
 * RFC 6376 §6.3 and the checklist's D16: a mail whose only failure is a temporary DKIM key lookup error
 * ({@code dkim-temperror}, {@link dev.acmesmime.rfc8823.Verdict#retryable()}) is not judged; a copy goes
 * round again later, a bounded number of times, through James's mail queue (as durable as that queue is:
 * in memory in the memory server, on disk in the JPA and distributed ones). Once the retries are used up
 * the mailet judges it as it stands. Both roles use it with the same two parameters:
 * <ul>
 *   <li>{@value #RETRIES} (optional, default {@value #DEFAULT_RETRIES}, 0 to 100): how often;</li>
 *   <li>{@value #DELAY_MINUTES} (optional, default {@value #DEFAULT_DELAY_MINUTES}, 1 to 1440): how long
 *       between two tries.</li>
 * </ul>
 */
final class TemperrorRetry {

    static final String RETRIES = "temperrorRetries";
    static final String DELAY_MINUTES = "temperrorDelayMinutes";
    static final int DEFAULT_RETRIES = 3;
    static final int DEFAULT_DELAY_MINUTES = 10;

    private final AttributeName counter;
    private final int retries;
    private final int delayMinutes;

    private TemperrorRetry(AttributeName counter, int retries, int delayMinutes) {
        this.counter = counter;
        this.retries = retries;
        this.delayMinutes = delayMinutes;
    }

    /**
     * Reads the two parameters of {@code mailet}; an invalid value stops James at start-up naming it.
     *
     * @param counter the mail attribute counting the tries made, one per mailet so that the two never mix
     */
    static TemperrorRetry fromParameters(GenericMailet mailet, AttributeName counter) throws MessagingException {
        return new TemperrorRetry(counter,
                MailetParameters.intParameter(mailet, RETRIES, DEFAULT_RETRIES, 0, 100),
                MailetParameters.intParameter(mailet, DELAY_MINUTES, DEFAULT_DELAY_MINUTES, 1, 1440));
    }

    /** The tries already made for {@code mail}: 0 for a mail that is new. */
    int triesMade(Mail mail) {
        // any Number: a queue that serialises attributes must not turn the count into a type read as 0
        return mail.getAttribute(counter).map(a -> a.getValue().value())
                .filter(Number.class::isInstance).map(n -> ((Number) n).intValue()).orElse(0);
    }

    /** {@code true} while {@code mail} may go round again; once {@code false}, the mailet judges it as it stands. */
    boolean triesLeft(Mail mail) {
        return triesMade(mail) < retries;
    }

    /**
     * Sends a copy of {@code mail}, for {@code recipients} only, to processor {@code state} after the delay,
     * with the count of tries raised. Only while {@link #triesLeft} says so.
     *
     * @param notCarried attributes the caller set on {@code mail} for this try that must not reach the next
     */
    void sendAgainLater(MailetContext context, Mail mail, Collection<MailAddress> recipients, String state,
                        AttributeName... notCarried) throws MessagingException {
        Mail again = mail.duplicate();
        // a message of its own: the caller may still mark the original for its other recipients
        again.setMessage(new MimeMessage(mail.getMessage()));
        again.setRecipients(recipients);
        for (AttributeName name : notCarried) {
            again.removeAttribute(name);
        }
        again.setAttribute(new Attribute(counter, AttributeValue.of(triesMade(mail) + 1)));
        SpooledCopy.sendLater(context, again, state, delayMinutes);
    }
}
