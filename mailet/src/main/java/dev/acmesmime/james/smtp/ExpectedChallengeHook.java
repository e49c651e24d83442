package dev.acmesmime.james.smtp;

import java.util.List;

import javax.inject.Inject;
import javax.mail.MessagingException;
import javax.mail.internet.AddressException;
import javax.mail.internet.InternetAddress;
import javax.mail.internet.MimeMessage;

import org.apache.commons.configuration2.Configuration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.james.core.MailAddress;
import org.apache.james.protocols.api.ProtocolSession;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.dsn.DSNStatus;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.HookReturnCode;
import org.apache.james.queue.api.MailQueue;
import org.apache.james.smtpserver.AddDefaultAttributesMessageHook;
import org.apache.james.smtpserver.JamesMessageHook;
import org.apache.james.smtpserver.futurerelease.FutureReleaseMailParameterHook;
import org.apache.mailet.Mail;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.acmesmime.james.runtime.AcmeSmimeRuntime;
import dev.acmesmime.james.runtime.ChallengeLane;
import dev.acmesmime.organisation.ExpectedChallenge;

/**
 * Organisation role: lets a challenge this node is waiting for skip James's spool, so that it is answered
 * within a second even while a flood of other mail, forged challenges included, fills the spool (issue 14
 * §5). At the end of SMTP {@code DATA}, a mail that looks like a challenge (Subject {@code ACME:} or
 * {@code Auto-Submitted: auto-generated}) for a recipient with a pending, unexpired challenge registered
 * from the mail's From ({@link ExpectedChallenge}: headers and one store read per recipient, no body, no
 * DNS) goes into the {@link ChallengeLane} instead of the spool, and so do the responses to it. The lane
 * runs the mail through the same processors as the spool would: {@code AcmeChallengeResponder} makes every
 * check and the decision, in one place; this hook judges nothing and refuses nothing. Every other mail,
 * a mail James was asked to hold ({@code FUTURERELEASE}), and any mail when the lane is full or the store
 * cannot be read, takes the spool as before. The SMTP answer is the spool's: {@code 250 2.6.0 Message received}.
 * <p>
 * In {@code smtpserver.xml}, in the handler chain <b>before</b> {@code CoreCmdHandlerLoader} (whose
 * {@code SendMailHandler} puts every mail into the spool and ends the chain); it sets the attributes James's
 * {@code AddDefaultAttributesMessageHook} would (remote address, SMTP session, HELO, authenticated user):
 * <pre>{@code
 * <handlerchain>
 *     <handler class="org.apache.james.smtpserver.fastfail.ValidRcptHandler"/>
 *     <handler class="dev.acmesmime.james.smtp.ExpectedChallengeHook">
 *         <threads>2</threads>
 *         <capacity>100</capacity>
 *     </handler>
 *     <handler class="org.apache.james.smtpserver.CoreCmdHandlerLoader"/>
 * </handlerchain>
 * }</pre>
 * <ul>
 *   <li>{@code threads} (default 2): the lane's workers, each running one mail through the processors.
 *       Expected challenges are few (one per enrolment); 2 keep one free while a response is sent.</li>
 *   <li>{@code capacity} (default 100): mails in the lane at most, waiting or in process; more go to the spool.
 *       A forger who knows a waiting mailbox and its CA can fill it, never grow it.</li>
 * </ul>
 * The store is the plugin's ({@code conf/acme-smime.properties}); metrics {@code acme-smime.org.lane.*}.
 * Without this handler, nothing changes: every mail and every response takes the spool.
 */
public class ExpectedChallengeHook implements JamesMessageHook {
    public static final int DEFAULT_THREADS = 2;
    public static final int DEFAULT_CAPACITY = 100;

    private static final Logger LOGGER = LoggerFactory.getLogger(ExpectedChallengeHook.class);
    private static final HookResult RECEIVED = HookResult.builder().hookReturnCode(HookReturnCode.ok())
            .smtpDescription(DSNStatus.getStatus(DSNStatus.SUCCESS, DSNStatus.CONTENT_OTHER) + " Message received")
            .build();

    private final AcmeSmimeRuntime runtime;
    private final ChallengeLane lane;
    private final AddDefaultAttributesMessageHook defaultAttributes = new AddDefaultAttributesMessageHook();
    private ExpectedChallenge expected;

    @Inject
    public ExpectedChallengeHook(AcmeSmimeRuntime runtime, ChallengeLane lane) {
        this.runtime = runtime;
        this.lane = lane;
    }

    @Override
    public void init(Configuration config) throws ConfigurationException {
        try {
            lane.start(config.getInt("threads", DEFAULT_THREADS), config.getInt("capacity", DEFAULT_CAPACITY));
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException("ExpectedChallengeHook: " + e.getMessage(), e);
        }
        expected = new ExpectedChallenge(runtime.store().pendingChallenges());
    }

    @Override
    public HookResult onMessage(SMTPSession session, Mail mail) {
        if (session.getAttachment(FutureReleaseMailParameterHook.FUTURERELEASE_HOLDFOR, ProtocolSession.State.Transaction)
                .isPresent() || !isExpected(mail)) {
            return HookResult.DECLINED;
        }
        defaultAttributes.onMessage(session, mail);
        try {
            if (!lane.offer(mail)) {
                return HookResult.DECLINED;
            }
        } catch (MailQueue.MailQueueException e) {
            LOGGER.warn("acme-smime challenge lane refused {} ({}); it takes the spool", mail.getName(), e.toString());
            return HookResult.DECLINED;
        }
        LOGGER.info("acme-smime: {} for {} is an expected challenge, taken into the challenge lane", mail.getName(),
                mail.getRecipients());
        return RECEIVED;
    }

    private boolean isExpected(Mail mail) {
        try {
            MimeMessage message = mail.getMessage();
            List<String> recipients = mail.getRecipients().stream().map(MailAddress::asString).toList();
            // raw values: core decodes them, as for the IsAcmeChallenge matcher
            return message != null && expected.expected(message.getHeader("Subject", null),
                    message.getHeader("Auto-Submitted", null), fromAddress(message), recipients);
        } catch (MessagingException | RuntimeException e) {
            // unreadable headers or the store down: the spool's way, where the responder reports it
            LOGGER.debug("acme-smime: {} not checked for the challenge lane: {}", mail.getName(), e.toString());
            return false;
        }
    }

    /** The From field's first address, or {@code null}: the responder judges a malformed or multiple From. */
    private static String fromAddress(MimeMessage message) throws MessagingException {
        String raw = message.getHeader("From", null);
        if (raw == null) {
            return null;
        }
        try {
            InternetAddress[] parsed = InternetAddress.parseHeader(raw, false);
            return parsed.length == 0 ? null : parsed[0].getAddress();
        } catch (AddressException e) {
            return null;
        }
    }
}
