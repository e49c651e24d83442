package dev.acmesmime.james.mailets;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;

import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeName;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMailet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.acmesmime.rfc8823.AcmeMailInspector;
import dev.acmesmime.rfc8823.Check;
import dev.acmesmime.rfc8823.FailureCode;
import dev.acmesmime.rfc8823.MessageKind;
import dev.acmesmime.rfc8823.Verdict;

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
 * No signature verifier is configured yet, so a verdict is never {@code valid} (it fails closed
 * with {@code dkim-none}); a later version verifies DKIM and S/MIME.
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
 * </ul>
 * A mail that cannot be read or parsed gets a verdict too ({@code other; invalid; malformed});
 * this mailet does not throw on bad mail.
 *
 * <pre><code>
 * &lt;processor state="local-delivery"&gt;
 *   &lt;mailet match="dev.acmesmime.james.matchers.IsAcmeChallenge"
 *           class="dev.acmesmime.james.mailets.AcmeVerdictHeader"&gt;
 *     &lt;headerName&gt;X-Acme-Smime-Verdict&lt;/headerName&gt;
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

    public static final String KIND_ATTRIBUTE_NAME = "acme-smime.kind";
    public static final String VALID_ATTRIBUTE_NAME = "acme-smime.valid";
    public static final String FAILURES_ATTRIBUTE_NAME = "acme-smime.failures";
    public static final AttributeName KIND_ATTRIBUTE = AttributeName.of(KIND_ATTRIBUTE_NAME);
    public static final AttributeName VALID_ATTRIBUTE = AttributeName.of(VALID_ATTRIBUTE_NAME);
    public static final AttributeName FAILURES_ATTRIBUTE = AttributeName.of(FAILURES_ATTRIBUTE_NAME);

    private static final Logger LOGGER = LoggerFactory.getLogger(AcmeVerdictHeader.class);

    private String headerName;
    private AcmeMailInspector inspector;

    @Override
    public void init() throws MessagingException {
        checkInitParameters(Set.of(HEADER_NAME_PARAMETER));
        headerName = getInitParameter(HEADER_NAME_PARAMETER, DEFAULT_HEADER_NAME).trim();
        if (!isFieldName(headerName)) {
            throw new MessagingException("'" + HEADER_NAME_PARAMETER + "' must be a header field name "
                    + "(printable ASCII without ':' or space), got '" + headerName + "'");
        }
        inspector = AcmeMailInspector.builder().build();
    }

    @Override
    public void service(Mail mail) throws MessagingException {
        Verdict verdict = inspect(mail);
        mail.setAttribute(new Attribute(KIND_ATTRIBUTE, AttributeValue.of(verdict.kind().label())));
        mail.setAttribute(new Attribute(VALID_ATTRIBUTE, AttributeValue.of(verdict.valid())));
        mail.setAttribute(new Attribute(FAILURES_ATTRIBUTE, AttributeValue.of(
                verdict.failureCodes().stream().map(AttributeValue::of).collect(Collectors.toList()))));

        String value = headerValue(verdict);
        MimeMessage message = mail.getMessage();
        message.setHeader(headerName, value);
        message.saveChanges();
        LOGGER.debug("{}: {}: {}", mail.getName(), headerName, value);
    }

    private Verdict inspect(Mail mail) {
        byte[] raw;
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            mail.getMessage().writeTo(out);
            raw = out.toByteArray();
        } catch (MessagingException | IOException | RuntimeException e) {
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
        List<String> failures = verdict.failureCodes();
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
