package dev.acmesmime.james.mailets;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;

import javax.inject.Inject;
import javax.mail.MessagingException;
import javax.mail.Session;
import javax.mail.internet.MimeMessage;

import org.apache.james.core.MailAddress;
import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeName;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMailet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.acmesmime.dkim.DkimSigner;
import dev.acmesmime.ca.ResponseProcessor;
import dev.acmesmime.ca.forward.ValidatedResponse;
import dev.acmesmime.james.runtime.AcmeSmimeRuntime;
import dev.acmesmime.rfc8823.FailureCode;
import dev.acmesmime.rfc8823.AcmeMailInspector;
import dev.acmesmime.rfc8823.AuthenticityVerifier;
import dev.acmesmime.rfc8823.Check;
import dev.acmesmime.rfc8823.Expectations;
import dev.acmesmime.rfc8823.MessageKind;
import dev.acmesmime.rfc8823.Verdict;
import dev.acmesmime.store.AuditEvent;
import dev.acmesmime.store.AcmeSmimeStore;
import dev.acmesmime.store.AuditRecord;
import dev.acmesmime.store.IssuedChallenge;

/**
 * CA role: checks a challenge mail the CA's ACME server submitted against the challenge rules of
 * RFC 8823 §3.1 (C4–C14, C21, C23, C24, D14 via core's {@link AcmeMailInspector}), rate-limits it
 * per recipient and per recipient domain, DKIM-signs it with the D2 + D3 {@code h=} list
 * ({@link DkimSigner}, {@code d=} = the From domain, no {@code l=}), and records the challenge facts
 * (Message-ID, token-part1, recipient, response address and its sub-address tag, time) that
 * {@link AcmeResponseForwarder} correlates responses with. Place it before {@code RemoteDelivery}.
 * <p>
 * A challenge that fails is <b>not sent</b>: it gets a {@value #HELD_HEADER} header with its codes
 * and goes to {@value #HELD_PROCESSOR} (e.g. a processor with {@code ToRepository}); the original is
 * ghosted. Codes: the failure codes of core ({@code auto-submitted}, {@code token-too-short},
 * {@code subject-syntax}, ...), plus {@code recipients} (the envelope must go to exactly the To
 * address, B4), {@code rate-limit-recipient}, {@code rate-limit-domain} and {@code duplicate-message-id}.
 * A challenge without a Message-ID gets one (acme2certifier sends none), since responses are
 * correlated by it. Each signed challenge leaves an evidence record with the mail as sent (B15).
 * <p>
 * Parameters:
 * <ul>
 * <li>{@value #SELECTOR} (mandatory): the DKIM selector of the key.</li>
 * <li>{@value #PRIVATE_KEY_FILE} (mandatory): the PEM private key (RSA, at least 2048 bits), relative
 *     to James's working directory.</li>
 * <li>{@value #HELD_PROCESSOR} (optional, default {@value #DEFAULT_HELD_PROCESSOR}): where failing
 *     challenges go.</li>
 * <li>{@value #VALIDITY_HOURS} (optional, default 24): the validity recorded with the challenge, 1..24.</li>
 * <li>{@value #RECIPIENT_LIMIT} (optional, default {@value #DEFAULT_RECIPIENT_LIMIT}) and
 *     {@value #DOMAIN_LIMIT} (optional, default {@value #DEFAULT_DOMAIN_LIMIT}): challenges allowed per
 *     recipient address and per recipient domain within {@value #RATE_WINDOW_MINUTES} (optional,
 *     default {@value #DEFAULT_RATE_WINDOW_MINUTES}) minutes.</li>
 * </ul>
 *
 * <pre><code>
 * &lt;processor state="transport" enableJmx="false"&gt;
 *   &lt;mailet match="SenderIs=acme@ca.example" class="dev.acmesmime.james.mailets.AcmeChallengeSigner"&gt;
 *     &lt;selector&gt;acme2026&lt;/selector&gt;
 *     &lt;privateKeyFile&gt;conf/dkim/acme2026.pem&lt;/privateKeyFile&gt;
 *     &lt;heldProcessor&gt;acme-challenge-held&lt;/heldProcessor&gt;
 *     &lt;validityHours&gt;24&lt;/validityHours&gt;
 *     &lt;recipientLimit&gt;5&lt;/recipientLimit&gt;
 *     &lt;domainLimit&gt;600&lt;/domainLimit&gt;
 *     &lt;rateWindowMinutes&gt;60&lt;/rateWindowMinutes&gt;
 *   &lt;/mailet&gt;
 *   ...
 *   &lt;mailet match="All" class="RemoteDelivery"&gt;...&lt;/mailet&gt;
 * &lt;/processor&gt;
 * </code></pre>
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8823#section-3.1">RFC 8823 §3.1</a>
 */
public class AcmeChallengeSigner extends GenericMailet {
    public static final String SELECTOR = "selector";
    public static final String PRIVATE_KEY_FILE = "privateKeyFile";
    public static final String HELD_PROCESSOR = "heldProcessor";
    public static final String VALIDITY_HOURS = "validityHours";
    public static final String RECIPIENT_LIMIT = "recipientLimit";
    public static final String DOMAIN_LIMIT = "domainLimit";
    public static final String RATE_WINDOW_MINUTES = "rateWindowMinutes";
    public static final String DEFAULT_HELD_PROCESSOR = "acme-challenge-held";
    public static final int DEFAULT_RECIPIENT_LIMIT = 5;
    public static final int DEFAULT_DOMAIN_LIMIT = 600;
    public static final int DEFAULT_RATE_WINDOW_MINUTES = 60;
    public static final String HELD_HEADER = "X-Acme-Smime-Held";
    public static final String HELD_ATTRIBUTE_NAME = "acme-smime.challenge.held";
    static final AttributeName HELD_ATTRIBUTE = AttributeName.of(HELD_ATTRIBUTE_NAME);

    private static final Logger LOGGER = LoggerFactory.getLogger(AcmeChallengeSigner.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> PARAMETERS = Set.of(SELECTOR, PRIVATE_KEY_FILE, HELD_PROCESSOR, VALIDITY_HOURS,
            RECIPIENT_LIMIT, DOMAIN_LIMIT, RATE_WINDOW_MINUTES);

    private final AcmeSmimeRuntime runtime;
    private DkimSigner signer;
    private AcmeMailInspector inspector;
    private AcmeSmimeStore store;
    private String heldProcessor;
    private Duration validity;
    private int recipientLimit;
    private int domainLimit;
    private Duration window;

    @Inject
    public AcmeChallengeSigner(AcmeSmimeRuntime runtime) {
        this.runtime = runtime;
    }

    @Override
    public void init() throws MessagingException {
        checkInitParameters(PARAMETERS);
        String selector = MailetParameters.mandatory(this, SELECTOR);
        Path key = runtime.home().resolve(MailetParameters.mandatory(this, PRIVATE_KEY_FILE));
        try {
            signer = DkimSigner.builder().privateKey(key).selector(selector).clock(runtime.clock()).build();
        } catch (IOException | IllegalArgumentException e) {
            throw new MessagingException("'" + PRIVATE_KEY_FILE + "': cannot use " + key + ": " + e.getMessage(), e);
        }
        heldProcessor = getInitParameter(HELD_PROCESSOR, DEFAULT_HELD_PROCESSOR).trim();
        validity = Duration.ofHours(MailetParameters.intParameter(this, VALIDITY_HOURS, 24, 1, 24));
        recipientLimit = MailetParameters.intParameter(this, RECIPIENT_LIMIT, DEFAULT_RECIPIENT_LIMIT, 1, 100_000);
        domainLimit = MailetParameters.intParameter(this, DOMAIN_LIMIT, DEFAULT_DOMAIN_LIMIT, 1, 10_000_000);
        window = Duration.ofMinutes(MailetParameters.intParameter(this, RATE_WINDOW_MINUTES, DEFAULT_RATE_WINDOW_MINUTES, 1, 7 * 24 * 60));
        // The challenge is not signed yet: the inspector's header rules run, authenticity is this
        // mailet's own job (it signs), so the authenticity codes are left out below.
        inspector = AcmeMailInspector.builder().authenticity(AuthenticityVerifier.NOT_PERFORMED)
                .clock(runtime.clock()).build();
        try {
            store = runtime.store();
        } catch (RuntimeException e) {
            throw new MessagingException(getMailetName() + ": " + e.getMessage(), e);
        }
    }



    @Override
    public void service(Mail mail) throws MessagingException {
        Instant now = runtime.clock().instant();
        MimeMessage message = mail.getMessage();
        if (message.getHeader("Message-ID") == null) {
            String domain = mail.getMaybeSender().asOptional().map(a -> a.getDomain().asString()).orElse("localhost");
            // setHeader only: saveChanges() would let JavaMail replace the Message-ID and headers
            message.setHeader("Message-ID", "<" + UUID.randomUUID() + "@" + domain + ">");
        }
        byte[] raw = MailBytesOf.raw(mail);
        Verdict v = inspector.inspectChallenge(raw, Expectations.NONE);
        List<String> codes = new ArrayList<>();
        v.checks().stream().filter(c -> !c.ok()).map(c -> c.code().code())
                .filter(c -> !FailureCode.fromCode(c).map(FailureCode::isAuthenticity).orElse(false)).distinct().forEach(codes::add);
        String to = v.values().to();
        List<String> recipients = mail.getRecipients().stream().map(MailAddress::asString).toList();
        if (to == null || recipients.size() != 1 || !recipients.get(0).equalsIgnoreCase(to)) {
            codes.add("recipients");
        }
        String messageId = v.values().messageId();
        if (codes.isEmpty() && messageId != null) {
            if (store.issuedChallenges().countForIdentifierSince(to, now.minus(window)) >= recipientLimit) {
                codes.add("rate-limit-recipient");
            }
            String domain = to.substring(to.lastIndexOf('@') + 1).toLowerCase(Locale.ROOT);
            if (store.issuedChallenges().countForDomainSince(domain, now.minus(window)) >= domainLimit) {
                codes.add("rate-limit-domain");
            }
        }
        if (!codes.isEmpty()) {
            hold(mail, v, codes, raw);
            return;
        }
        String responseAddress = v.values().responseRecipient().orElseThrow();
        byte[] signed;
        try {
            signed = signer.sign(raw, MessageKind.CHALLENGE);
        } catch (IllegalArgumentException e) {
            hold(mail, v, List.of("from"), raw);
            return;
        }
        IssuedChallenge c = IssuedChallenge.sent(messageId, v.values().tokenPart1(), to, responseAddress,
                ResponseProcessor.tagOf(responseAddress), now, now.plus(validity));
        if (!store.issuedChallenges().record(c)) {
            hold(mail, v, List.of("duplicate-message-id"), raw);
            return;
        }
        mail.setMessage(new MimeMessage(Session.getDefaultInstance(new java.util.Properties()),
                new ByteArrayInputStream(signed)));
        long evidence = store.evidence().append("challenge", to, c.tokenPart1(), messageId, "signed",
                evidence(v, List.of(), signed, mail, c)).id();
        store.audit().append(AuditRecord.entry(AuditEvent.CHALLENGE_SIGNED).address(to).token(c.tokenPart1())
                .messageId(messageId).outcome("signed").detail("evidence " + evidence + ", selector "
                        + signer.selector() + ", expires " + c.expiresAt() + ", method " + ValidatedResponse.METHOD));
        LOGGER.info("acme-smime challenge {} to {} signed and recorded", messageId, to);
    }

    private void hold(Mail mail, Verdict v, List<String> codes, byte[] raw) throws MessagingException {
        String joined = String.join(", ", codes);
        Mail held = mail.duplicate();
        held.getMessage().setHeader(HELD_HEADER, joined);
        held.setAttribute(new Attribute(HELD_ATTRIBUTE, AttributeValue.of(joined)));
        String to = v.values().to();
        long evidence = store.evidence().append("challenge", to, v.values().tokenPart1(), v.values().messageId(),
                codes.get(0), evidence(v, codes, raw, mail, null)).id();
        store.audit().append(AuditRecord.entry(AuditEvent.CHALLENGE_HELD).address(to)
                .token(v.values().tokenPart1()).messageId(v.values().messageId())
                .outcome(codes.get(0)).detail("evidence " + evidence + ", codes " + codes + ", sent to processor "
                        + heldProcessor));
        getMailetContext().sendMail(held, heldProcessor);
        mail.setState(Mail.GHOST);
        LOGGER.warn("acme-smime challenge {} held, not sent: {}", mail.getName(), joined);
    }

    private static byte[] evidence(Verdict v, List<String> codes, byte[] raw, Mail mail, IssuedChallenge c) {
        ObjectNode n = JSON.createObjectNode();
        n.put("kind", "challenge");
        n.put("method", ValidatedResponse.METHOD);
        n.put("outcome", codes.isEmpty() ? "signed" : codes.get(0));
        ArrayNode fc = n.putArray("failureCodes");
        codes.forEach(fc::add);
        n.put("envelopeFrom", mail.getMaybeSender().asString(""));
        ArrayNode rcpt = n.putArray("recipients");
        mail.getRecipients().forEach(r -> rcpt.add(r.asString()));
        n.put("remoteAddress", String.valueOf(mail.getRemoteAddr()));
        if (c != null) {
            n.put("tag", c.tag().orElse(null));
            n.put("createdAt", c.createdAt().toString());
            n.put("expiresAt", c.expiresAt().toString());
        }
        ArrayNode checks = n.putArray("checks");
        for (Check ch : v.checks()) {
            if (ch.code().isAuthenticity()) {
                continue;
            }
            ObjectNode o = checks.addObject();
            o.put("code", ch.code().code());
            o.put("ok", ch.ok());
            o.put("detail", ch.detail());
        }
        n.put("raw", Base64.getEncoder().encodeToString(raw));
        try {
            return JSON.writeValueAsBytes(n);
        } catch (IOException e) {
            return ("{\"kind\":\"challenge\",\"error\":\"" + e.getClass().getSimpleName() + "\"}")
                    .getBytes(StandardCharsets.UTF_8);
        }
    }

    @Override
    public String getMailetInfo() {
        return "AcmeChallengeSigner: checks, rate-limits, DKIM-signs and records RFC 8823 challenges";
    }
}
