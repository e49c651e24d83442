package dev.acmesmime.james.mailets;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
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

import dev.acmesmime.ca.ChallengeIssuer;
import dev.acmesmime.ca.Issuance;
import dev.acmesmime.ca.OutgoingChallenge;
import dev.acmesmime.dkim.DkimSigner;
import dev.acmesmime.james.runtime.AcmeSmimeRuntime;

/**
 * CA role: checks a challenge mail the CA's ACME server submitted against the challenge rules of
 * RFC 8823 §3.1 (C4–C14, C21, C23, C24, D14), rate-limits it per recipient and per recipient
 * domain, DKIM-signs it with the D2 + D3 {@code h=} list ({@link DkimSigner}, {@code d=} = the
 * From domain, no {@code l=}), and records the challenge facts
 * (Message-ID, token-part1, recipient, response address and its sub-address tag, time) that
 * {@link AcmeResponseForwarder} correlates responses with; the rules are core's
 * {@link ChallengeIssuer}, this mailet does the James work. Place it before {@code RemoteDelivery}.
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
 * <li>{@value #PRIVATE_KEY_FILE} (mandatory): the PEM private key, relative to James's working
 *     directory: RSA of at least 2048 bits (PKCS#8 or PKCS#1), or Ed25519 (PKCS#8,
 *     {@code openssl genpkey -algorithm ed25519}; RFC 8463) to sign with Ed25519 alone.</li>
 * <li>{@value #ED25519_SELECTOR} and {@value #ED25519_PRIVATE_KEY_FILE} (optional, both or neither): an
 *     Ed25519 key (PKCS#8 PEM) under a selector of its own, next to an RSA {@value #PRIVATE_KEY_FILE}.
 *     Each challenge then carries two signatures, RSA first, as RFC 8463 §4 recommends: receivers
 *     that verify Ed25519 may use it, the others (James 3.8.1's own jDKIM among them) still find
 *     the RSA one. Publish {@code v=DKIM1; k=ed25519; p=<the raw 32-octet key, base64>} at
 *     {@code <ed25519Selector>._domainkey.<domain>}, e.g. from
 *     {@code openssl pkey -in KEY.pem -pubout -outform DER | tail -c 32 | base64}.</li>
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
 *     &lt;!-- optional: an Ed25519 signature next to the RSA one (RFC 8463) --&gt;
 *     &lt;ed25519Selector&gt;acme2026ed&lt;/ed25519Selector&gt;
 *     &lt;ed25519PrivateKeyFile&gt;conf/dkim/acme2026ed.pem&lt;/ed25519PrivateKeyFile&gt;
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
    public static final String ED25519_SELECTOR = "ed25519Selector";
    public static final String ED25519_PRIVATE_KEY_FILE = "ed25519PrivateKeyFile";
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
    private static final Set<String> PARAMETERS = Set.of(SELECTOR, PRIVATE_KEY_FILE, ED25519_SELECTOR,
            ED25519_PRIVATE_KEY_FILE, HELD_PROCESSOR, VALIDITY_HOURS, RECIPIENT_LIMIT, DOMAIN_LIMIT, RATE_WINDOW_MINUTES);

    private final AcmeSmimeRuntime runtime;
    private ChallengeIssuer issuer;
    private String heldProcessor;

    @Inject
    public AcmeChallengeSigner(AcmeSmimeRuntime runtime) {
        this.runtime = runtime;
    }

    @Override
    public void init() throws MessagingException {
        checkInitParameters(PARAMETERS);
        DkimSigner signer = signer();
        heldProcessor = getInitParameter(HELD_PROCESSOR, DEFAULT_HELD_PROCESSOR).trim();
        ChallengeIssuer.Limits limits = new ChallengeIssuer.Limits(
                Duration.ofHours(MailetParameters.intParameter(this, VALIDITY_HOURS, 24, 1, 24)),
                MailetParameters.intParameter(this, RECIPIENT_LIMIT, DEFAULT_RECIPIENT_LIMIT, 1, 100_000),
                MailetParameters.intParameter(this, DOMAIN_LIMIT, DEFAULT_DOMAIN_LIMIT, 1, 10_000_000),
                Duration.ofMinutes(MailetParameters.intParameter(this, RATE_WINDOW_MINUTES, DEFAULT_RATE_WINDOW_MINUTES,
                        1, 7 * 24 * 60)));
        try {
            issuer = new ChallengeIssuer(runtime.store(), signer, limits, heldProcessor, runtime.clock(),
                    runtime.metrics());
        } catch (RuntimeException e) {
            throw new MessagingException(getMailetName() + ": " + e.getMessage(), e);
        }
    }

    private DkimSigner signer() throws MessagingException {
        String selector = MailetParameters.mandatory(this, SELECTOR);
        Path key = runtime.home().resolve(MailetParameters.mandatory(this, PRIVATE_KEY_FILE));
        DkimSigner.Builder builder;
        try {
            builder = DkimSigner.builder().privateKey(key).selector(selector).clock(runtime.clock());
        } catch (IOException | IllegalArgumentException e) {
            throw new MessagingException("'" + PRIVATE_KEY_FILE + "': cannot use " + key + ": " + e.getMessage(), e);
        }
        String edSelector = getInitParameter(ED25519_SELECTOR, "").trim();
        String edFile = getInitParameter(ED25519_PRIVATE_KEY_FILE, "").trim();
        if (edSelector.isEmpty() != edFile.isEmpty()) {
            throw new MessagingException("'" + ED25519_SELECTOR + "' and '" + ED25519_PRIVATE_KEY_FILE
                    + "' go together: give both or neither");
        }
        Path edKey = edFile.isEmpty() ? null : runtime.home().resolve(edFile);
        try {
            return (edKey == null ? builder : builder.ed25519Key(edKey, edSelector)).build();
        } catch (IOException | RuntimeException e) {
            throw new MessagingException("'" + ED25519_PRIVATE_KEY_FILE + "': cannot use " + edKey + ": "
                    + e.getMessage(), e);
        }
    }

    @Override
    public void service(Mail mail) throws MessagingException {
        MimeMessage message = mail.getMessage();
        if (message.getHeader("Message-ID") == null) {
            String domain = mail.getMaybeSender().asOptional().map(a -> a.getDomain().asString()).orElse("localhost");
            // setHeader only: saveChanges() would let JavaMail replace the Message-ID and headers
            message.setHeader("Message-ID", "<" + UUID.randomUUID() + "@" + domain + ">");
        }
        OutgoingChallenge challenge = new OutgoingChallenge(MailBytesOf.raw(mail), mail.getMaybeSender().asString(""),
                mail.getRecipients().stream().map(MailAddress::asString).toList(), String.valueOf(mail.getRemoteAddr()));
        Issuance outcome = issuer.sign(challenge);
        if (outcome instanceof Issuance.Issued issued) {
            mail.setMessage(new MimeMessage(Session.getDefaultInstance(new Properties()),
                    new ByteArrayInputStream(issued.signed())));
            // the decision's INFO line, with its MDC, is core's (CaDecisions); this one ties it to James's mail name
            LOGGER.debug("acme-smime challenge {} ({}) signed, evidence {}", issued.challenge().messageId(),
                    mail.getName(), issued.evidenceId());
        } else if (outcome instanceof Issuance.Held held) {
            hold(mail, String.join(", ", held.codes()));
        }
    }

    private void hold(Mail mail, String codes) throws MessagingException {
        Mail held = mail.duplicate();
        held.getMessage().setHeader(HELD_HEADER, codes);
        held.setAttribute(new Attribute(HELD_ATTRIBUTE, AttributeValue.of(codes)));
        SpooledCopy.send(getMailetContext(), held, heldProcessor);
        mail.setState(Mail.GHOST);
        LOGGER.warn("acme-smime challenge {} held, not sent: {}", mail.getName(), codes);
    }

    @Override
    public String getMailetInfo() {
        return "AcmeChallengeSigner: checks, rate-limits, DKIM-signs and records RFC 8823 challenges";
    }
}
