package dev.acmesmime.james.matchers;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;

import org.apache.james.core.MailAddress;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMatcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.acmesmime.rfc8823.Prefilter;

/**
 * CA role: matches the recipients of a mail sent to one of the CA's challenge addresses that looks
 * like an RFC 8823 response: {@code ACME:} in the decoded Subject, or a
 * {@code -----BEGIN ACME RESPONSE-----} line in the first {@value #SCANNED_BODY_BYTES} bytes of the
 * body.
 * <p>
 * A cheap pre-filter for routing, never a validation; the mailet
 * {@code dev.acmesmime.james.mailets.AcmeResponseForwarder} validates. Only the recipients that are
 * challenge addresses are matched; others continue unchanged (James splits the mail).
 * <p>
 * Condition (mandatory): the challenge addresses, comma-separated. {@code *} in the local part stands
 * for any run of characters, so {@code acme+*@ca.example} matches the per-challenge sub-addresses
 * CASTLE-style CAs use ({@code acme+<tag>@ca.example}). Comparison ignores case.
 *
 * <pre><code>
 * &lt;processor state="root"&gt;
 *   &lt;mailet match="dev.acmesmime.james.matchers.IsAcmeResponse=acme@ca.example, acme+*@ca.example"
 *           class="dev.acmesmime.james.mailets.AcmeResponseForwarder"/&gt;
 *   ...
 * &lt;/processor&gt;
 * </code></pre>
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8823#section-3.2">RFC 8823 §3.2</a>
 */
public class IsAcmeResponse extends GenericMatcher {
    /** How much of the body the BEGIN-line scan reads. */
    public static final int SCANNED_BODY_BYTES = Prefilter.SCANNED_BODY_BYTES;

    private static final Logger LOGGER = LoggerFactory.getLogger(IsAcmeResponse.class);

    private List<Pattern> addresses;

    @Override
    public void init() throws MessagingException {
        String condition = getCondition();
        if (condition == null || condition.isBlank()) {
            throw new MessagingException("IsAcmeResponse needs a condition: the challenge addresses, comma-separated,"
                    + " e.g. IsAcmeResponse=acme@ca.example, acme+*@ca.example");
        }
        List<Pattern> patterns = new ArrayList<>();
        for (String part : condition.split(",")) {
            String p = part.trim().toLowerCase(Locale.ROOT);
            int at = p.lastIndexOf('@');
            if (at <= 0 || at == p.length() - 1 || p.substring(at).contains("*") || p.contains(" ")) {
                throw new MessagingException("IsAcmeResponse: '" + part.trim() + "' is not a challenge address"
                        + " (local@domain, '*' allowed in the local part only)");
            }
            StringBuilder re = new StringBuilder();
            for (String literal : p.split("\\*", -1)) {
                if (re.length() > 0) {
                    re.append("[^@]*");
                }
                re.append(Pattern.quote(literal));
            }
            patterns.add(Pattern.compile(re.toString()));
        }
        addresses = List.copyOf(patterns);
    }

    @Override
    public Collection<MailAddress> match(Mail mail) {
        List<MailAddress> matched = mail.getRecipients().stream().filter(this::isChallengeAddress).toList();
        if (matched.isEmpty() || !looksLikeResponse(mail)) {
            return List.of();
        }
        return matched;
    }

    boolean isChallengeAddress(MailAddress a) {
        String s = a.asString().toLowerCase(Locale.ROOT);
        return addresses.stream().anyMatch(p -> p.matcher(s).matches());
    }

    private static boolean looksLikeResponse(Mail mail) {
        try {
            MimeMessage message = mail.getMessage();
            if (message == null) {
                return false;
            }
            if (Prefilter.looksLikeResponseSubject(message.getHeader("Subject", null))) {
                return true;
            }
            try (InputStream in = message.getRawInputStream()) {
                return Prefilter.looksLikeResponseBody(in);
            }
        } catch (MessagingException | IOException e) {
            LOGGER.debug("{} unreadable, not an ACME response candidate: {}", mail.getName(), e.toString());
            return false;
        }
    }

    @Override
    public String getMatcherInfo() {
        return "IsAcmeResponse: challenge-address recipients of mail that looks like an RFC 8823 response";
    }
}
