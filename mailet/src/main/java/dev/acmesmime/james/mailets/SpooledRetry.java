package dev.acmesmime.james.mailets;

import java.util.Collection;
import java.util.concurrent.TimeUnit;

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
 * A mail that is not judged yet goes round again later, a bounded number of times, through James's mail
 * queue (as durable as that queue is: in memory in the memory server, on disk in the JPA and distributed
 * ones); once the retries are used up the mailet judges it as it stands. Two reasons, each with its own
 * two parameters and its own counter attribute:
 * <ul>
 *   <li>{@link #temperror}: RFC 6376 §6.3 and the checklist's D16, the only failure is a temporary DKIM key
 *       lookup error ({@code dkim-temperror}, {@link dev.acmesmime.rfc8823.Verdict#retryable()}); both roles.
 *       {@value #TEMPERROR_RETRIES} (optional, default {@value #DEFAULT_TEMPERROR_RETRIES}, 0 to 100) and
 *       {@value #TEMPERROR_DELAY_MINUTES} (optional, default {@value #DEFAULT_TEMPERROR_DELAY_MINUTES}, 1 to 1440).</li>
 *   <li>{@link #registration}: a genuine challenge that beat its enrolment's registration
 *       ({@code awaiting-registration}, {@link dev.acmesmime.organisation.Decision#awaitingRegistration()});
 *       the organisation role. {@value #REGISTRATION_RETRIES} (optional, default
 *       {@value #DEFAULT_REGISTRATION_RETRIES}, 0 to 1000) and {@value #REGISTRATION_DELAY_SECONDS} (optional,
 *       default {@value #DEFAULT_REGISTRATION_DELAY_SECONDS}, 1 to 3600).</li>
 * </ul>
 */
final class SpooledRetry {

    static final String TEMPERROR_RETRIES = "temperrorRetries";
    static final String TEMPERROR_DELAY_MINUTES = "temperrorDelayMinutes";
    static final int DEFAULT_TEMPERROR_RETRIES = 3;
    static final int DEFAULT_TEMPERROR_DELAY_MINUTES = 10;
    static final String REGISTRATION_RETRIES = "registrationRetries";
    static final String REGISTRATION_DELAY_SECONDS = "registrationDelaySeconds";
    static final int DEFAULT_REGISTRATION_RETRIES = 20;
    static final int DEFAULT_REGISTRATION_DELAY_SECONDS = 3;

    private final AttributeName counter;
    private final int retries;
    private final long delay;
    private final TimeUnit unit;

    private SpooledRetry(AttributeName counter, int retries, long delay, TimeUnit unit) {
        this.counter = counter;
        this.retries = retries;
        this.delay = delay;
        this.unit = unit;
    }

    /**
     * Reads {@value #TEMPERROR_RETRIES} and {@value #TEMPERROR_DELAY_MINUTES} of {@code mailet}; an invalid value
     * stops James at start-up naming it.
     *
     * @param counter the mail attribute counting the tries made, one per mailet and reason so that they never mix
     */
    static SpooledRetry temperror(GenericMailet mailet, AttributeName counter) throws MessagingException {
        return new SpooledRetry(counter,
                MailetParameters.intParameter(mailet, TEMPERROR_RETRIES, DEFAULT_TEMPERROR_RETRIES, 0, 100),
                MailetParameters.intParameter(mailet, TEMPERROR_DELAY_MINUTES, DEFAULT_TEMPERROR_DELAY_MINUTES, 1, 1440),
                TimeUnit.MINUTES);
    }

    /** As {@link #temperror}, for {@value #REGISTRATION_RETRIES} and {@value #REGISTRATION_DELAY_SECONDS}. */
    static SpooledRetry registration(GenericMailet mailet, AttributeName counter) throws MessagingException {
        return new SpooledRetry(counter,
                MailetParameters.intParameter(mailet, REGISTRATION_RETRIES, DEFAULT_REGISTRATION_RETRIES, 0, 1000),
                MailetParameters.intParameter(mailet, REGISTRATION_DELAY_SECONDS, DEFAULT_REGISTRATION_DELAY_SECONDS,
                        1, 3600),
                TimeUnit.SECONDS);
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
        SpooledCopy.sendLater(context, again, state, delay, unit);
    }
}
