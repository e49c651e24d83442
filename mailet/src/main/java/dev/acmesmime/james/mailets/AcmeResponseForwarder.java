package dev.acmesmime.james.mailets;

import java.time.Duration;
import java.util.Set;

import javax.inject.Inject;
import javax.mail.MessagingException;

import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeName;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMailet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.acmesmime.dkim.DkimPolicyVerifier;
import dev.acmesmime.ca.forward.DeliveryWorker;
import dev.acmesmime.ca.Disposition;
import dev.acmesmime.ca.forward.ForwardTarget;
import dev.acmesmime.ca.ProcessingResult;
import dev.acmesmime.ca.ResponseProcessor;
import dev.acmesmime.james.runtime.AcmeSmimeRuntime;
import dev.acmesmime.rfc8823.Leniency;

/**
 * CA role: validates an RFC 8823 response mail, correlates it with the challenge the CA sent, and
 * forwards the result to the CA's ACME server through the durable outbox; see core's
 * {@link ResponseProcessor} for the rules and {@link DeliveryWorker} for the delivery.
 * <p>
 * <b>What happens to the mail:</b> it is always consumed ({@code ghost}) once its evidence and audit
 * records are written. It is never bounced: a bounce would be backscatter to forged senders. Only an
 * authentic response (DKIM-aligned, D7 list, no {@code l=}, no rsa-sha1, no {@code List-*}, a
 * well-formed block, fresh and correlated) is forwarded; anything else is recorded and dropped, so a
 * stranger can never invalidate a challenge. If the store cannot be written, the mailet throws and
 * James moves the mail to its error processor: no mail is lost.
 * <p>
 * Where the results go is a per-process setting in {@code conf/acme-smime.properties}
 * ({@code forward.url}, {@code forward.contract} = {@code native | akamu | raw},
 * {@code forward.secretFile}, ...; see {@link ForwardTarget}); the first forwarder to start starts
 * the one delivery worker of the process.
 * <p>
 * Parameters:
 * <ul>
 * <li>{@value #DNS_SERVER} (optional, default: the system resolver): {@code HOST[:PORT]} of the DNS
 *     server DKIM keys are read from.</li>
 * <li>{@value #VALIDITY_HOURS} (optional, default {@value #DEFAULT_VALIDITY_HOURS}): how long after
 *     its creation a challenge may be answered, 1..24 (S/MIME BR 3.2.2.4).</li>
 * <li>{@value #INVALID_PROCESSOR} (optional, default none): a processor that receives a copy of every
 *     response that was not forwarded, e.g. one holding a {@code ToRepository}, for inspection.</li>
 * <li>{@value #TEMPERROR_RETRIES} (optional, default {@value #DEFAULT_TEMPERROR_RETRIES}): how often a
 *     mail whose DKIM key lookup failed temporarily (D16) is tried again, {@value #TEMPERROR_DELAY_MINUTES}
 *     (default {@value #DEFAULT_TEMPERROR_DELAY_MINUTES}) minutes apart, before it is dropped as
 *     {@code dkim-temperror}.</li>
 * <li>{@value #LENIENCY} (optional, default none): comma-separated names of core's {@link Leniency}
 *     relaxations.</li>
 * </ul>
 * Attributes set: {@value #DISPOSITION_ATTRIBUTE_NAME} (String: {@code forwarded}, {@code duplicate},
 * {@code already-used}, {@code uncorrelated}, {@code expired}, {@code rejected}, {@code temperror})
 * and {@value #OUTCOME_ATTRIBUTE_NAME} (String: the audit outcome, e.g. {@code dkim-misaligned}).
 *
 * <pre><code>
 * &lt;processor state="root" enableJmx="false"&gt;
 *   &lt;mailet match="All" class="PostmasterAlias"/&gt;
 *   &lt;mailet match="dev.acmesmime.james.matchers.IsAcmeResponse=acme@ca.example, acme+*@ca.example"
 *           class="dev.acmesmime.james.mailets.AcmeResponseForwarder"&gt;
 *     &lt;dnsServer&gt;127.0.0.1:53&lt;/dnsServer&gt;
 *     &lt;validityHours&gt;24&lt;/validityHours&gt;
 *     &lt;invalidProcessor&gt;acme-invalid&lt;/invalidProcessor&gt;
 *     &lt;temperrorRetries&gt;3&lt;/temperrorRetries&gt;
 *     &lt;temperrorDelayMinutes&gt;10&lt;/temperrorDelayMinutes&gt;
 *   &lt;/mailet&gt;
 *   &lt;mailet match="All" class="ToProcessor"&gt;&lt;processor&gt;transport&lt;/processor&gt;&lt;/mailet&gt;
 * &lt;/processor&gt;
 * &lt;processor state="acme-invalid" enableJmx="false"&gt;
 *   &lt;mailet match="All" class="ToRepository"&gt;&lt;repositoryPath&gt;file://var/mail/acme-invalid/&lt;/repositoryPath&gt;&lt;/mailet&gt;
 * &lt;/processor&gt;
 * </code></pre>
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8823#section-3.2">RFC 8823 §3.2</a>
 */
public class AcmeResponseForwarder extends GenericMailet {
    public static final String DNS_SERVER = MailetParameters.DNS_SERVER;
    public static final String VALIDITY_HOURS = "validityHours";
    public static final String INVALID_PROCESSOR = "invalidProcessor";
    public static final String TEMPERROR_RETRIES = SpooledRetry.TEMPERROR_RETRIES;
    public static final String TEMPERROR_DELAY_MINUTES = SpooledRetry.TEMPERROR_DELAY_MINUTES;
    public static final String LENIENCY = MailetParameters.LENIENCY;
    public static final int DEFAULT_VALIDITY_HOURS = 24;
    public static final int DEFAULT_TEMPERROR_RETRIES = SpooledRetry.DEFAULT_TEMPERROR_RETRIES;
    public static final int DEFAULT_TEMPERROR_DELAY_MINUTES = SpooledRetry.DEFAULT_TEMPERROR_DELAY_MINUTES;

    public static final String DISPOSITION_ATTRIBUTE_NAME = "acme-smime.response.disposition";
    public static final String OUTCOME_ATTRIBUTE_NAME = "acme-smime.response.outcome";
    static final AttributeName DISPOSITION_ATTRIBUTE = AttributeName.of(DISPOSITION_ATTRIBUTE_NAME);
    static final AttributeName OUTCOME_ATTRIBUTE = AttributeName.of(OUTCOME_ATTRIBUTE_NAME);
    static final AttributeName RETRIES_ATTRIBUTE = AttributeName.of("acme-smime.response.temperrorRetries");

    private static final Logger LOGGER = LoggerFactory.getLogger(AcmeResponseForwarder.class);
    private static final Set<String> PARAMETERS = Set.of(DNS_SERVER, VALIDITY_HOURS, INVALID_PROCESSOR,
            TEMPERROR_RETRIES, TEMPERROR_DELAY_MINUTES, LENIENCY);

    private final AcmeSmimeRuntime runtime;
    private ResponseProcessor processor;
    private String invalidProcessor;
    private SpooledRetry temperror;

    @Inject
    public AcmeResponseForwarder(AcmeSmimeRuntime runtime) {
        this.runtime = runtime;
    }

    @Override
    public void init() throws MessagingException {
        checkInitParameters(PARAMETERS);
        int validity = MailetParameters.intParameter(this, VALIDITY_HOURS, DEFAULT_VALIDITY_HOURS, 1, 24);
        temperror = SpooledRetry.temperror(this, RETRIES_ATTRIBUTE);
        invalidProcessor = getInitParameterAsOptional(INVALID_PROCESSOR).map(String::trim).filter(s -> !s.isEmpty())
                .orElse(null);
        ResponseProcessor.Builder b;
        DkimPolicyVerifier dkim = DkimPolicyVerifier.builder().keyResolver(MailetParameters.keyResolver(this, runtime))
                .metrics(runtime.metrics()).build();
        try {
            DeliveryWorker worker = runtime.deliveryWorker();
            b = ResponseProcessor.builder().store(runtime.store()).clock(runtime.clock())
                    .contract(runtime.forwardSettings().target().orElseThrow().contract())
                    .dkim(dkim)
                    .validity(Duration.ofHours(validity))
                    .onEnqueued(worker::wakeUp)
                    .metrics(runtime.metrics());
        } catch (IllegalArgumentException e) {
            throw new MessagingException(getMailetName() + ": " + e.getMessage(), e);
        }
        MailetParameters.leniencies(this).forEach(b::leniency);
        processor = b.build();
    }


    @Override
    public void service(Mail mail) throws MessagingException {
        ProcessingResult r = processor.process(MailBytesOf.inbound(mail));
        mail.setAttribute(new Attribute(DISPOSITION_ATTRIBUTE, AttributeValue.of(r.disposition().code())));
        mail.setAttribute(new Attribute(OUTCOME_ATTRIBUTE, AttributeValue.of(r.outcome())));
        // the decision's INFO line, with its MDC, is core's (CaDecisions); this one ties it to James's mail name
        LOGGER.debug("acme-smime response {}: {} ({}), evidence {}", mail.getName(), r.disposition().code(),
                r.outcome(), r.evidenceId());
        if (r.disposition() == Disposition.TEMPORARY && temperror.triesLeft(mail)) {
            temperror.sendAgainLater(getMailetContext(), mail, mail.getRecipients(), Mail.DEFAULT,
                    DISPOSITION_ATTRIBUTE, OUTCOME_ATTRIBUTE);
            mail.setState(Mail.GHOST);
            return;
        }
        if (r.disposition() != Disposition.FORWARDED && r.disposition() != Disposition.DUPLICATE
                && invalidProcessor != null) {
            SpooledCopy.send(getMailetContext(), mail.duplicate(), invalidProcessor);
        }
        mail.setState(Mail.GHOST);
    }

    @Override
    public String getMailetInfo() {
        return "AcmeResponseForwarder: validates RFC 8823 responses and forwards results to the ACME server";
    }
}
