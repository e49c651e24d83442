package dev.acmesmime.james.mailets;

import java.io.IOException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import javax.inject.Inject;
import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;

import org.apache.james.core.MailAddress;
import org.apache.james.lifecycle.api.LifecycleUtil;
import org.apache.james.mailrepository.api.MailRepository;
import org.apache.james.mailrepository.api.MailRepositoryStore;
import org.apache.james.mailrepository.api.MailRepositoryUrl;
import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeName;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMailet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.acmesmime.james.runtime.AcmeSmimeRuntime;
import dev.acmesmime.metrics.MetricNames;
import dev.acmesmime.organisation.ChallengeResponder;
import dev.acmesmime.organisation.Decision;
import dev.acmesmime.organisation.DecisionCode;
import dev.acmesmime.organisation.DkimKeyDirectory;
import dev.acmesmime.organisation.RateLimits;
import dev.acmesmime.organisation.ResponseDelivery;
import dev.acmesmime.rfc8823.AcmeMailInspector;
import dev.acmesmime.rfc8823.Leniency;
import dev.acmesmime.smime.DkimOrSmime;

/**
 * Answers RFC 8823 challenges for local mailboxes (the organisation role): for each recipient, it runs
 * core's {@link ChallengeResponder} (full challenge validation with DKIM under the RFC 8823 policy or
 * S/MIME, the mailbox's registered challenge, rate limits, answer-once claim in the shared store) and,
 * when the challenge is answered, sends the DKIM-signed response through
 * {@code MailetContext.sendMail} with the mailbox as envelope sender and the challenge's Reply-To, else
 * From, as the only recipient (R4). A challenge with a null envelope sender is never answered.
 * <p>
 * What happens to the mail:
 * <ul>
 *   <li>Answered: consumed ({@code onAnswered=ghost}, default), or delivered with the header
 *       {@code X-Acme-Smime-Decision: answered} ({@code onAnswered=deliver}). The response was written to the
 *       store's response outbox with the claim, so it is never lost: if James's spool refuses it, or James dies
 *       before sending it, the runtime's worker sends it later, until the challenge expires; meanwhile WebAdmin
 *       shows the challenge {@code answering} with the last error ({@code response.*} settings of
 *       {@code conf/acme-smime.properties}, see {@code ResponseOutboxSettings} in core).</li>
 *   <li>Ignored (not genuine, not expected, expired, already answered, rate-limited, …): <b>never answered</b>
 *       (C18). By default delivered unchanged except for one header naming the decision and its codes, e.g.
 *       {@code X-Acme-Smime-Decision: ignored; dkim-misaligned}, and logged with the reason (C19,
 *       logger {@code dev.acmesmime.organisation.ChallengeResponder}). With {@code onRejected=<repository URL>}
 *       it is stored there instead.</li>
 *   <li>Not judged yet: the only failure is a temporary DKIM key lookup error (D16, {@code dkim-temperror})
 *       while a challenge is pending. The mail leaves this try (ghosted, or those recipients taken off it)
 *       and a copy for those recipients comes back into this processor after {@value #TEMPERROR_DELAY_MINUTES},
 *       at most {@value #TEMPERROR_RETRIES} times, through James's mail queue; then it is handled as above,
 *       ignored with {@code dkim-temperror} if the key still cannot be fetched.</li>
 *   <li>Not judged yet either: a genuine challenge (every check passed) for a mailbox whose enrolment has placed
 *       its order, or is about to, but has not registered the challenge yet ({@code awaiting-registration}: the
 *       CA sends its mail as soon as the order exists). It leaves this try the same way and comes back after
 *       {@value #REGISTRATION_DELAY_SECONDS}, at most {@value #REGISTRATION_RETRIES} times, with a counter of
 *       its own; it is answered on the first try after the registration. Each try is audited.</li>
 *   <li>A failure of the plugin itself (store unreachable, no DKIM key for the mailbox's domain) throws a
 *       {@code MessagingException}: James sends the mail to the {@code error} processor, or to what
 *       {@code onMailetException} names, never to the void. Name a processor that only stores the mail in a
 *       repository (as {@code conf/org}'s {@code acme-smime-error}): the default {@code error} processor
 *       bounces, and a bounce to the CA would be an automatic "Re: ACME:" reply to an unvalidated challenge (C18).
 *       Nothing is claimed before the response is signed, so such a challenge stays answerable.</li>
 * </ul>
 * A mail the matcher let through that is no challenge at all (an {@code Auto-Submitted: auto-generated}
 * notification without {@code ACME:} in its Subject) continues unchanged, without header, log line or audit
 * record. A sender-supplied {@value #DECISION_HEADER} header is always removed or replaced, so a forged
 * decision never reaches a mailbox. When recipients get different decisions, the mail is split: each copy carries its recipients' decision.
 * <p>
 * Attributes (names are the constants of this class), for later mailets:
 * <ul>
 *   <li>{@value #DECISION_ATTRIBUTE_NAME}: String, the header value ({@code answered} or {@code ignored; codes})</li>
 *   <li>{@value #CODES_ATTRIBUTE_NAME}: list of Strings, the codes</li>
 *   <li>{@value #ANSWERED_ATTRIBUTE_NAME}: Boolean</li>
 * </ul>
 * Decisions are also appended to the audit log (events {@code challenge-answered}, {@code challenge-ignored});
 * WebAdmin shows them under {@code /acme-smime/decisions?mailbox=…}.
 * <p>
 * Parameters:
 * <ul>
 *   <li>{@value #DKIM_KEY_DIRECTORY} (mandatory): a folder of unencrypted PEM keys named
 *       {@code SELECTOR._domainkey.DOMAIN.pem}, RSA of at least 2048 bits (PKCS#8 or PKCS#1) or Ed25519
 *       (PKCS#8, {@code openssl genpkey -algorithm ed25519}; RFC 8463); each signs the responses of DOMAIN's
 *       mailboxes with {@code d=DOMAIN; s=SELECTOR} and the full D7 {@code h=} list. A domain may have one
 *       RSA and one Ed25519 key, under two selectors: each response then carries both signatures, RSA
 *       first (RFC 8463 §4), so a CA that verifies Ed25519 may use it and one that does not still finds
 *       the RSA one. The Ed25519 key is published as {@code v=DKIM1; k=ed25519; p=<raw 32-octet key,
 *       base64>}. Relative paths are resolved against James's working directory. A key added later is
 *       picked up without restart.</li>
 *   <li>{@value #DNS_SERVER} (optional, default: the system resolver): {@code HOST[:PORT]} of the DNS server
 *       for DKIM key lookups.</li>
 *   <li>{@value #ON_ANSWERED} (optional, default {@value #GHOST}): {@value #GHOST} or {@value #DELIVER}.</li>
 *   <li>{@value #ON_REJECTED} (optional, default {@value #DELIVER}): {@value #DELIVER}, or a mail repository
 *       URL such as {@code memory://var/mail/acme-rejected/}.</li>
 *   <li>{@value #SMIME_TRUST_ANCHORS} (optional, default: the JDK's {@code cacerts}): a PEM file of the CA
 *       certificates trusted for S/MIME-signed challenges, or {@value #NONE} to accept DKIM-signed challenges
 *       only.</li>
 *   <li>{@value #LENIENCY} (optional, default none): comma-separated relaxations of core ({@link Leniency}),
 *       {@code missing-auto-submitted}, {@code byte-concatenation}, {@code subject-label-case}.</li>
 *   <li>{@value #RATE_LIMIT_PER_MAILBOX} (optional, default {@value RateLimits#DEFAULT_PER_MAILBOX_PER_HOUR}):
 *       responses per mailbox per hour, 0 for no limit.</li>
 *   <li>{@value #RATE_LIMIT_PER_SENDER_DOMAIN} (optional, default
 *       {@value RateLimits#DEFAULT_PER_SENDER_DOMAIN_PER_HOUR}): responses per CA sender domain per hour, all
 *       mailboxes together, 0 for no limit. A challenge the mailbox's own enrolment registered is not held to
 *       it: the enrolment paces its orders ({@code enrolment.ordersPerMinute}).</li>
 *   <li>{@value #TEMPERROR_RETRIES} (optional, default {@value SpooledRetry#DEFAULT_TEMPERROR_RETRIES}): how often a
 *       challenge whose only failure is a temporary DKIM key lookup error (D16, {@code dkim-temperror}) is
 *       tried again, {@value #TEMPERROR_DELAY_MINUTES} (optional, default
 *       {@value SpooledRetry#DEFAULT_TEMPERROR_DELAY_MINUTES}) minutes apart, through James's mail queue and in this
 *       processor. Only then is it delivered marked {@code ignored; dkim-temperror}; 0 delivers it at once.</li>
 *   <li>{@value #REGISTRATION_RETRIES} (optional, default {@value SpooledRetry#DEFAULT_REGISTRATION_RETRIES}, 0 to
 *       1000): how often a genuine challenge that arrived before its enrolment registered it
 *       ({@code awaiting-registration}) is tried again, {@value #REGISTRATION_DELAY_SECONDS} (optional, default
 *       {@value SpooledRetry#DEFAULT_REGISTRATION_DELAY_SECONDS}, 1 to 3600) seconds apart, through James's mail
 *       queue and in this processor. Only then is it handled as ignored with {@code awaiting-registration}; 0
 *       does so at once. The defaults wait up to a minute, far longer than an enrolment takes from its order to
 *       its registration.</li>
 * </ul>
 * The store is the one of {@code conf/acme-smime.properties} ({@link AcmeSmimeRuntime}); it is opened in
 * {@code init()}, so a bad store setting, like any invalid parameter, stops James at start-up with a message
 * naming it.
 *
 * <pre><code>
 * &lt;processor state="local-delivery" enableJmx="true"&gt;
 *   &lt;mailet match="dev.acmesmime.james.matchers.IsAcmeChallenge"
 *           class="dev.acmesmime.james.mailets.AcmeChallengeResponder"&gt;
 *     &lt;dkimKeyDirectory&gt;conf/dkim&lt;/dkimKeyDirectory&gt;
 *     &lt;dnsServer&gt;127.0.0.1:53&lt;/dnsServer&gt;
 *     &lt;onAnswered&gt;ghost&lt;/onAnswered&gt;
 *     &lt;onRejected&gt;deliver&lt;/onRejected&gt;
 *     &lt;smimeTrustAnchors&gt;conf/smime-trust-anchors.pem&lt;/smimeTrustAnchors&gt;
 *     &lt;leniency&gt;&lt;/leniency&gt;
 *     &lt;rateLimitPerMailbox&gt;5&lt;/rateLimitPerMailbox&gt;
 *     &lt;rateLimitPerSenderDomain&gt;100&lt;/rateLimitPerSenderDomain&gt;
 *     &lt;temperrorRetries&gt;3&lt;/temperrorRetries&gt;
 *     &lt;temperrorDelayMinutes&gt;10&lt;/temperrorDelayMinutes&gt;
 *     &lt;registrationRetries&gt;20&lt;/registrationRetries&gt;
 *     &lt;registrationDelaySeconds&gt;3&lt;/registrationDelaySeconds&gt;
 *     &lt;onMailetException&gt;acme-smime-error&lt;/onMailetException&gt;
 *   &lt;/mailet&gt;
 *   &lt;mailet match="All" class="VacationMailet"/&gt;
 *   ...
 *   &lt;mailet match="All" class="LocalDelivery"/&gt;
 * &lt;/processor&gt;
 * </code></pre>
 * with, beside it,
 * <pre><code>
 * &lt;processor state="acme-smime-error"&gt;
 *   &lt;mailet match="All" class="ToRepository"&gt;
 *     &lt;repositoryPath&gt;file://var/mail/error/&lt;/repositoryPath&gt;
 *   &lt;/mailet&gt;
 * &lt;/processor&gt;
 * </code></pre>
 * The fully-qualified class names are required.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8823#section-3">RFC 8823 §3</a>
 */
public class AcmeChallengeResponder extends GenericMailet {

    public static final String DKIM_KEY_DIRECTORY = "dkimKeyDirectory";
    public static final String DNS_SERVER = MailetParameters.DNS_SERVER;
    public static final String ON_ANSWERED = "onAnswered";
    public static final String ON_REJECTED = "onRejected";
    public static final String SMIME_TRUST_ANCHORS = MailetParameters.SMIME_TRUST_ANCHORS;
    public static final String LENIENCY = MailetParameters.LENIENCY;
    public static final String RATE_LIMIT_PER_MAILBOX = "rateLimitPerMailbox";
    public static final String RATE_LIMIT_PER_SENDER_DOMAIN = "rateLimitPerSenderDomain";
    public static final String TEMPERROR_RETRIES = SpooledRetry.TEMPERROR_RETRIES;
    public static final String TEMPERROR_DELAY_MINUTES = SpooledRetry.TEMPERROR_DELAY_MINUTES;
    public static final String REGISTRATION_RETRIES = SpooledRetry.REGISTRATION_RETRIES;
    public static final String REGISTRATION_DELAY_SECONDS = SpooledRetry.REGISTRATION_DELAY_SECONDS;

    public static final String GHOST = "ghost";
    public static final String DELIVER = "deliver";
    public static final String NONE = DkimOrSmime.NONE;

    /** The header naming the decision on delivered mail. */
    public static final String DECISION_HEADER = "X-Acme-Smime-Decision";

    public static final String DECISION_ATTRIBUTE_NAME = "acme-smime.decision";
    public static final String CODES_ATTRIBUTE_NAME = "acme-smime.decision.codes";
    public static final String ANSWERED_ATTRIBUTE_NAME = "acme-smime.answered";
    public static final AttributeName DECISION_ATTRIBUTE = AttributeName.of(DECISION_ATTRIBUTE_NAME);
    public static final AttributeName CODES_ATTRIBUTE = AttributeName.of(CODES_ATTRIBUTE_NAME);
    public static final AttributeName ANSWERED_ATTRIBUTE = AttributeName.of(ANSWERED_ATTRIBUTE_NAME);
    static final AttributeName RETRIES_ATTRIBUTE = AttributeName.of("acme-smime.challenge.temperrorRetries");
    static final AttributeName REGISTRATION_RETRIES_ATTRIBUTE =
            AttributeName.of("acme-smime.challenge.registrationRetries");

    private static final Logger LOGGER = LoggerFactory.getLogger(AcmeChallengeResponder.class);

    private final AcmeSmimeRuntime runtime;
    private final MailRepositoryStore repositories;
    private ChallengeResponder responder;
    private boolean deliverAnswered;
    private MailRepository rejectedRepository;
    private SpooledRetry temperror;
    private SpooledRetry registration;
    private ResponseDelivery delivery;

    @Inject
    public AcmeChallengeResponder(AcmeSmimeRuntime runtime, MailRepositoryStore repositories) {
        this.runtime = runtime;
        this.repositories = repositories;
    }

    @Override
    public void init() throws MessagingException {
        checkInitParameters(Set.of(DKIM_KEY_DIRECTORY, DNS_SERVER, ON_ANSWERED, ON_REJECTED, SMIME_TRUST_ANCHORS,
                LENIENCY, RATE_LIMIT_PER_MAILBOX, RATE_LIMIT_PER_SENDER_DOMAIN, TEMPERROR_RETRIES, TEMPERROR_DELAY_MINUTES,
                REGISTRATION_RETRIES, REGISTRATION_DELAY_SECONDS));
        temperror = SpooledRetry.temperror(this, RETRIES_ATTRIBUTE);
        registration = SpooledRetry.registration(this, REGISTRATION_RETRIES_ATTRIBUTE);
        DkimKeyDirectory keys = keyDirectory();
        deliverAnswered = MailetParameters.choice(this, ON_ANSWERED, GHOST, GHOST, DELIVER).equals(DELIVER);
        rejectedRepository = rejectedRepository();
        RateLimits limits = new RateLimits(
                MailetParameters.intParameter(this, RATE_LIMIT_PER_MAILBOX, RateLimits.DEFAULT_PER_MAILBOX_PER_HOUR,
                        0, Integer.MAX_VALUE),
                MailetParameters.intParameter(this, RATE_LIMIT_PER_SENDER_DOMAIN,
                        RateLimits.DEFAULT_PER_SENDER_DOMAIN_PER_HOUR, 0, Integer.MAX_VALUE));
        AcmeMailInspector.Builder inspector = AcmeMailInspector.builder()
                .authenticity(MailetParameters.authenticity(this, runtime))
                .clock(runtime.clock());
        MailetParameters.leniencies(this).forEach(inspector::leniency);
        try {
            responder = ChallengeResponder.builder()
                    .store(runtime.store())
                    .inspector(inspector.build())
                    .signingKeys(keys)
                    .rateLimits(limits)
                    .clock(runtime.clock())
                    .metrics(runtime.metrics())
                    .build();
            delivery = runtime.responseDelivery(new ResponseSpool(getMailetContext(), runtime::lane));
            // every instance registers it; the runtime's metrics keep one gauge reading the one store
            runtime.metrics().gauge(MetricNames.ORG_PENDING_CHALLENGES,
                    () -> runtime.store().pendingChallenges().countPending());
        } catch (RuntimeException e) {
            // StoreConfigurationException names the store.* setting of conf/acme-smime.properties
            throw new MessagingException("acme-smime store (" + AcmeSmimeRuntime.SETTINGS_FILE + "): " + e.getMessage(), e);
        }
    }

    @Override
    public void service(Mail mail) throws MessagingException {
        if (mail.getAttribute(DECISION_ATTRIBUTE).isPresent()) {
            return; // a copy this mailet split off and sent back through the processor: decided already
        }
        byte[] raw = MailBytesOf.raw(mail);
        String sender = mail.getMaybeSender().asOptional().map(MailAddress::asString).orElse(null);
        Map<String, List<MailAddress>> byHeader = new LinkedHashMap<>();
        Map<String, Decision> decisions = new LinkedHashMap<>();
        List<MailAddress> consumed = new ArrayList<>();
        boolean temperrorLeft = temperror.triesLeft(mail);
        boolean registrationLeft = registration.triesLeft(mail);
        List<MailAddress> temporary = new ArrayList<>();
        List<MailAddress> awaiting = new ArrayList<>();
        for (MailAddress recipient : mail.getRecipients()) {
            Decision d = decide(raw, sender, recipient);
            if (temperrorLeft && d.retryable()) {
                temporary.add(recipient); // D16: not judged yet
                continue;
            }
            if (registrationLeft && d.awaitingRegistration()) {
                awaiting.add(recipient); // its enrolment registers the challenge in a moment
                continue;
            }
            if (d.answered()) {
                send(d, mail);
            }
            if (d.answered() && !deliverAnswered) {
                consumed.add(recipient);
                setAttributes(mail, d); // for whatever observes the ghosted mail
                continue;
            }
            byHeader.computeIfAbsent(d.headerValue(), k -> new ArrayList<>()).add(recipient);
            decisions.putIfAbsent(d.headerValue(), d);
        }
        goRoundAgain(mail, temporary, temperror, "DKIM key lookup failed temporarily");
        goRoundAgain(mail, awaiting, registration, "its enrolment has not registered the challenge yet");
        route(mail, byHeader, decisions, consumed);
    }

    /** The {@code held} recipients' copy comes back into this processor after {@code retry}'s delay. */
    private void goRoundAgain(Mail mail, List<MailAddress> held, SpooledRetry retry, String why)
            throws MessagingException {
        if (held.isEmpty()) {
            return;
        }
        retry.sendAgainLater(getMailetContext(), mail, held, mail.getState(),
                DECISION_ATTRIBUTE, CODES_ATTRIBUTE, ANSWERED_ATTRIBUTE);
        // the copy carries them now: should routing the rest fail, an admin's reprocessing of this mail
        // must not handle them a second time
        mail.setRecipients(mail.getRecipients().stream().filter(r -> !held.contains(r)).toList());
        LOGGER.info("acme-smime challenge {} for {}: {}, tried again later (try {} done)", mail.getName(),
                addresses(held), why, retry.triesMade(mail) + 1);
    }

    private Decision decide(byte[] raw, String sender, MailAddress recipient) throws MessagingException {
        if (!getMailetContext().isLocalEmail(recipient)) {
            return new Decision(Decision.Outcome.IGNORED, recipient.asString(),
                    List.of(DecisionCode.NOT_LOCAL_RECIPIENT), "not a local mailbox", Optional.empty(),
                    Optional.empty(), Optional.empty());
        }
        try {
            return responder.respond(raw, sender, recipient.asString());
        } catch (RuntimeException e) {
            // store down, DKIM key missing: James's error processing keeps the mail for the admin
            throw new MessagingException("acme-smime responder failed for " + recipient.asString() + ": " + e.getMessage(), e);
        }
    }

    /**
     * The first attempt to hand the claimed challenge's response (kept in the store's response outbox)
     * to James's spool, timed from the challenge's {@link #arrival}. A failure is the outbox's to retry:
     * the challenge is answered either way, and the mail is consumed.
     */
    private void send(Decision d, Mail challenge) {
        OutboxTestHooks.haltIfAsked();
        Decision.Response response = d.response().orElseThrow();
        try {
            if (!delivery.deliver(d.challengeUrl().orElseThrow())) {
                return; // logged by the outbox, tried again by its worker
            }
        } catch (RuntimeException e) {
            // the store failed around the send: the row stays leased and is taken again when the lease lapses
            LOGGER.warn("acme-smime response {} for {}: outbox not updated, its worker takes it over: {}",
                    response.messageId(), d.mailbox(), e.toString());
            return;
        }
        Instant now = runtime.clock().instant();
        Duration taken = Duration.between(arrival(challenge, now), now);
        runtime.metrics().record(MetricNames.ORG_RESPONSE_TIME, taken.isNegative() ? Duration.ZERO : taken);
    }

    /**
     * When the challenge arrived: James's {@code lastUpdated}, set when its SMTP server accepted the
     * mail and carried through the spool and the queue, so the time includes the wait before this
     * mailet (when the mailet first saw it would hide a slow spool). A temperror retry is a new
     * mail, timed from its re-sending. Missing (a mail built by hand): now.
     */
    private static Instant arrival(Mail mail, Instant now) {
        return Optional.ofNullable(mail.getLastUpdated()).map(Date::toInstant).orElse(now);
    }

    private void route(Mail mail, Map<String, List<MailAddress>> byHeader, Map<String, Decision> decisions,
                       List<MailAddress> consumed) throws MessagingException {
        if (!consumed.isEmpty()) {
            LOGGER.debug("{}: challenge consumed for {}", mail.getName(), addresses(consumed));
        }
        if (byHeader.isEmpty()) {
            mail.setState(Mail.GHOST); // every recipient's challenge was answered and consumed, or goes round again
            return;
        }
        String state = mail.getState();
        List<Mail> targets = new ArrayList<>();
        targets.add(mail);
        for (int i = 1; i < byHeader.size(); i++) {
            // copies taken before the original is marked, each with a message of its own for its header
            Mail copy = mail.duplicate();
            copy.setMessage(new MimeMessage(mail.getMessage()));
            targets.add(copy);
        }
        int i = 0;
        boolean ghostOriginal = false;
        for (Map.Entry<String, List<MailAddress>> group : byHeader.entrySet()) {
            Mail target = targets.get(i++);
            Decision d = decisions.get(group.getKey());
            target.setRecipients(group.getValue());
            mark(target, d);
            if (!d.answered() && rejectedRepository != null) {
                // the repository stores a copy of its own
                rejectedRepository.store(target);
                ghostOriginal |= target == mail;
                if (target != mail) {
                    LifecycleUtil.dispose(target);
                }
            } else if (target != mail) {
                // the copy re-enters this processor; the decision attribute makes this mailet let it pass
                SpooledCopy.send(getMailetContext(), target, state);
            }
        }
        if (ghostOriginal) {
            mail.setState(Mail.GHOST);
        }
    }

    private static void mark(Mail mail, Decision d) throws MessagingException {
        MimeMessage message = mail.getMessage();
        boolean forged = message.getHeader(DECISION_HEADER) != null;
        if (forged || !d.notAChallenge()) {
            message.removeHeader(DECISION_HEADER);
            if (!d.notAChallenge()) {
                message.setHeader(DECISION_HEADER, d.headerValue());
            }
            message.saveChanges();
        }
        setAttributes(mail, d);
    }

    private static void setAttributes(Mail mail, Decision d) {
        mail.setAttribute(new Attribute(DECISION_ATTRIBUTE, AttributeValue.of(d.headerValue())));
        mail.setAttribute(new Attribute(CODES_ATTRIBUTE, AttributeValue.of(
                d.codeValues().stream().map(AttributeValue::of).collect(Collectors.toList()))));
        mail.setAttribute(new Attribute(ANSWERED_ATTRIBUTE, AttributeValue.of(d.answered())));
    }

    // ---- parameters, parsed once ----

    private DkimKeyDirectory keyDirectory() throws MessagingException {
        String value = getInitParameter(DKIM_KEY_DIRECTORY);
        if (value == null || value.isBlank()) {
            throw new MessagingException("'" + DKIM_KEY_DIRECTORY + "' is a mandatory parameter: a folder of "
                    + "SELECTOR._domainkey.DOMAIN.pem keys");
        }
        try {
            DkimKeyDirectory keys = DkimKeyDirectory.open(path(DKIM_KEY_DIRECTORY, value), runtime.clock());
            if (keys.domains().isEmpty()) {
                throw new MessagingException("'" + DKIM_KEY_DIRECTORY + "': " + keys.directory()
                        + " holds no key file named SELECTOR._domainkey.DOMAIN.pem");
            }
            LOGGER.info("acme-smime responder signs for {} with keys from {}", keys.domains(), keys.directory());
            return keys;
        } catch (IOException e) {
            throw new MessagingException("'" + DKIM_KEY_DIRECTORY + "': " + e.getMessage(), e);
        }
    }

    private MailRepository rejectedRepository() throws MessagingException {
        String value = getInitParameter(ON_REJECTED, DELIVER).trim();
        if (value.equals(DELIVER)) {
            return null;
        }
        if (!value.contains("://")) {
            throw new MessagingException("'" + ON_REJECTED + "' must be '" + DELIVER
                    + "' or a mail repository URL such as memory://var/mail/acme-rejected/, got '" + value + "'");
        }
        try {
            return repositories.select(MailRepositoryUrl.from(value));
        } catch (MailRepositoryStore.MailRepositoryStoreException | RuntimeException e) {
            throw new MessagingException("'" + ON_REJECTED + "': cannot open mail repository '" + value + "': "
                    + e.getMessage(), e);
        }
    }

    private Path path(String name, String value) throws MessagingException {
        try {
            return runtime.home().resolve(value.trim()).normalize();
        } catch (InvalidPathException e) {
            throw new MessagingException("'" + name + "' is not a valid path: '" + value + "'");
        }
    }

    @Override
    public String getMailetInfo() {
        return "AcmeChallengeResponder: answers genuine, expected RFC 8823 challenges for local mailboxes";
    }

    private static List<String> addresses(Collection<MailAddress> recipients) {
        return recipients.stream().map(MailAddress::asString).collect(Collectors.toList());
    }
}
