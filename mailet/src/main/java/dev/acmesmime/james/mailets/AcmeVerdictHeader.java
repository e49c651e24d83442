package dev.acmesmime.james.mailets;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import javax.inject.Inject;
import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;

import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeName;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMailet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.acmesmime.dkim.DkimPolicyVerifier;
import dev.acmesmime.james.runtime.AcmeSmimeRuntime;
import dev.acmesmime.rfc8823.AcmeMailInspector;
import dev.acmesmime.rfc8823.Check;
import dev.acmesmime.rfc8823.FailureCode;
import dev.acmesmime.rfc8823.MessageKind;
import dev.acmesmime.rfc8823.Verdict;
import dev.acmesmime.smime.DkimOrSmime;
import dev.acmesmime.smime.SmimeChallengeVerifier;

/**
 * Diagnostic mailet: runs the RFC 8823 inspection of core ({@link AcmeMailInspector#inspect(byte[])})
 * on the message exactly as James holds it, and records the verdict in one header and three mail
 * attributes. It never changes the state or the recipients of the mail, so the mail continues
 * down the processor unchanged apart from the header.
 * <p>
 * The header replaces any header of that name the sender put in (so a forged verdict never
 * reaches the mailbox) and reads {@code <kind>; <valid|invalid>[; <failure codes>]}, e.g.
 * {@code X-Acme-Smime-Verdict: challenge; invalid; dkim-none}. The kind is {@code challenge},
 * {@code response} or {@code other}; the failure codes are the stable codes of
 * {@link FailureCode}, comma-separated, and are left out when there are none.
 * <p>
 * Authenticity is verified as the RFC demands (RFC 8823 §3.1 item 6, §3.2 item 9): DKIM under the
 * RFC 8823 policy ({@link DkimPolicyVerifier}: {@code d=} is the From domain, {@code h=} covers
 * the D2/D7 list, no rsa-sha1, no key under 1024 bits, no partial {@code l=}), or, for a
 * challenge, an S/MIME signature whose signer chains to a trust anchor and whose rfc822Name equals
 * From ({@link SmimeChallengeVerifier}). DKIM keys are fetched from DNS when the mail is serviced,
 * with bounded time; a lookup that times out gives {@code dkim-temperror}. The
 * {@code Authentication-Results} fields of the mail are never read. DKIM key lookups share the
 * per-server cache of {@link AcmeSmimeRuntime}.
 * <p>
 * Attributes (names are the public constants of this class):
 * <ul>
 *   <li>{@value #KIND_ATTRIBUTE_NAME}: String, {@code challenge}, {@code response} or {@code other}</li>
 *   <li>{@value #VALID_ATTRIBUTE_NAME}: Boolean</li>
 *   <li>{@value #FAILURES_ATTRIBUTE_NAME}: list of Strings, the failure codes in order</li>
 * </ul>
 * Mail attributes are not stored with delivered mail; route on them before {@code LocalDelivery}.
 * <p>
 * Parameters:
 * <ul>
 *   <li>{@code headerName} (optional, default {@value #DEFAULT_HEADER_NAME}): the header field to write;
 *       must be a valid RFC 5322 field name.</li>
 *   <li>{@code dnsServer} (optional, default: the system's resolvers, {@code /etc/resolv.conf}): the
 *       DNS server DKIM keys are fetched from, {@code HOST}, {@code HOST:PORT} or {@code [IPv6]:PORT}.</li>
 *   <li>{@code smimeTrustAnchors} (optional, default: the JDK's {@code cacerts}): a PEM file of the
 *       certificates an S/MIME-signed challenge's signer must chain to; a relative path is resolved
 *       against James's working directory. {@value DkimOrSmime#NONE} verifies DKIM alone, as in
 *       {@code AcmeChallengeResponder}.</li>
 * </ul>
 * An invalid parameter value fails {@code init()} (and so James's start) with a message naming
 * the parameter.
 * A mail that cannot be read or parsed gets a verdict too ({@code other; invalid; malformed});
 * this mailet does not throw on bad mail.
 *
 * <pre><code>
 * &lt;processor state="local-delivery"&gt;
 *   &lt;mailet match="dev.acmesmime.james.matchers.IsAcmeChallenge"
 *           class="dev.acmesmime.james.mailets.AcmeVerdictHeader"&gt;
 *     &lt;headerName&gt;X-Acme-Smime-Verdict&lt;/headerName&gt;
 *     &lt;!-- optional; default: the system resolver --&gt;
 *     &lt;dnsServer&gt;127.0.0.1:53&lt;/dnsServer&gt;
 *     &lt;!-- optional; default: the JDK's cacerts --&gt;
 *     &lt;smimeTrustAnchors&gt;conf/acme-smime-ca-anchors.pem&lt;/smimeTrustAnchors&gt;
 *   &lt;/mailet&gt;
 *   ...
 *   &lt;mailet match="All" class="LocalDelivery"/&gt;
 * &lt;/processor&gt;
 * </code></pre>
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8823#section-3">RFC 8823 §3</a>
 */
public class AcmeVerdictHeader extends GenericMailet {

    public static final String HEADER_NAME_PARAMETER = "headerName";
    public static final String DEFAULT_HEADER_NAME = "X-Acme-Smime-Verdict";
    public static final String DNS_SERVER_PARAMETER = MailetParameters.DNS_SERVER;
    public static final String SMIME_TRUST_ANCHORS_PARAMETER = MailetParameters.SMIME_TRUST_ANCHORS;

    public static final String KIND_ATTRIBUTE_NAME = "acme-smime.kind";
    public static final String VALID_ATTRIBUTE_NAME = "acme-smime.valid";
    public static final String FAILURES_ATTRIBUTE_NAME = "acme-smime.failures";
    public static final AttributeName KIND_ATTRIBUTE = AttributeName.of(KIND_ATTRIBUTE_NAME);
    public static final AttributeName VALID_ATTRIBUTE = AttributeName.of(VALID_ATTRIBUTE_NAME);
    public static final AttributeName FAILURES_ATTRIBUTE = AttributeName.of(FAILURES_ATTRIBUTE_NAME);

    private static final Logger LOGGER = LoggerFactory.getLogger(AcmeVerdictHeader.class);

    private final AcmeSmimeRuntime runtime;
    private String headerName;
    private AcmeMailInspector inspector;

    @Inject
    public AcmeVerdictHeader(AcmeSmimeRuntime runtime) {
        this.runtime = runtime;
    }

    @Override
    public void init() throws MessagingException {
        checkInitParameters(Set.of(HEADER_NAME_PARAMETER, DNS_SERVER_PARAMETER, SMIME_TRUST_ANCHORS_PARAMETER));
        headerName = getInitParameter(HEADER_NAME_PARAMETER, DEFAULT_HEADER_NAME).trim();
        if (!isFieldName(headerName)) {
            throw new MessagingException("'" + HEADER_NAME_PARAMETER + "' must be a header field name "
                    + "(printable ASCII without ':' or space), got '" + headerName + "'");
        }
        inspector = AcmeMailInspector.builder()
                .authenticity(MailetParameters.authenticity(this, runtime))
                .build();
    }

    @Override
    public void service(Mail mail) throws MessagingException {
        Verdict verdict = inspect(mail);
        mail.setAttribute(new Attribute(KIND_ATTRIBUTE, AttributeValue.of(verdict.kind().label())));
        mail.setAttribute(new Attribute(VALID_ATTRIBUTE, AttributeValue.of(verdict.valid())));
        mail.setAttribute(new Attribute(FAILURES_ATTRIBUTE, AttributeValue.of(
                verdict.failureCodes().stream().map(FailureCode::code).map(AttributeValue::of).collect(Collectors.toList()))));

        String value = headerValue(verdict);
        MimeMessage message = mail.getMessage();
        message.setHeader(headerName, value);
        message.saveChanges();
        LOGGER.debug("{}: {}: {}", mail.getName(), headerName, value);
    }

    private Verdict inspect(Mail mail) {
        byte[] raw;
        try {
            raw = MailBytesOf.raw(mail);
        } catch (MessagingException | RuntimeException e) {
            // javax.mail gives up on some broken MIME structures; that is bad mail, not a bug
            LOGGER.info("{}: message unreadable, verdict malformed: {}", mail.getName(), e.toString());
            return new Verdict(MessageKind.OTHER,
                    List.of(Check.fail(FailureCode.MALFORMED, "message could not be serialized: " + e.getClass().getSimpleName())),
                    null, List.of());
        }
        return inspector.inspect(raw);
    }

    /** {@code kind; valid|invalid[; code,code]}. */
    static String headerValue(Verdict verdict) {
        String value = verdict.kind().label() + "; " + (verdict.valid() ? "valid" : "invalid");
        List<String> failures = verdict.failureCodes().stream().map(FailureCode::code).toList();
        return failures.isEmpty() ? value : value + "; " + String.join(",", failures);
    }

    /** RFC 5322 §2.2: field-name = 1*ftext, ftext = %d33-57 / %d59-126. */
    private static boolean isFieldName(String name) {
        return !name.isEmpty() && name.chars().allMatch(c -> c >= 33 && c <= 126 && c != ':');
    }

    @Override
    public String getMailetInfo() {
        return "AcmeVerdictHeader: records the RFC 8823 verdict in header " + headerName;
    }
}
