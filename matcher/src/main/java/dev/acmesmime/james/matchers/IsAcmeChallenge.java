package dev.acmesmime.james.matchers;

import java.util.Collection;
import java.util.List;

import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;

import org.apache.james.core.MailAddress;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMatcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.acmesmime.rfc8823.Prefilter;

/**
 * Matches the local recipients of a mail that looks like an RFC 8823 challenge: its Subject is
 * {@code ACME: …} without a reply prefix, or it carries {@code Auto-Submitted: auto-generated}.
 * <p>
 * This is a cheap pre-filter for routing, never a validation: it reads two raw header values and
 * asks core's {@link Prefilter#looksLikeChallenge(String, String)}, which decodes them. Whether
 * the challenge is genuine (DKIM or S/MIME, header rules, the pending challenge) is decided by
 * the mailet that receives the matched recipients. Only local recipients are matched
 * ({@code MailetContext.localRecipients}), because only a mailbox of this server can answer a
 * challenge; when just some recipients match, James splits the mail and the others continue
 * unchanged. A mail whose headers cannot be read is not matched and continues unchanged.
 * <p>
 * No condition. Place it where only local recipients remain, e.g. at the top of the
 * {@code local-delivery} processor (after {@code RecipientRewriteTable}):
 *
 * <pre><code>
 * &lt;processor state="local-delivery"&gt;
 *   &lt;mailet match="dev.acmesmime.james.matchers.IsAcmeChallenge"
 *           class="dev.acmesmime.james.mailets.AcmeVerdictHeader"/&gt;
 *   ...
 *   &lt;mailet match="All" class="LocalDelivery"/&gt;
 * &lt;/processor&gt;
 * </code></pre>
 *
 * The fully-qualified class name is required: James looks up short names only in its own package.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8823#section-3.1">RFC 8823 §3.1</a>
 */
public class IsAcmeChallenge extends GenericMatcher {

    private static final Logger LOGGER = LoggerFactory.getLogger(IsAcmeChallenge.class);

    @Override
    public void init() throws MessagingException {
        String condition = getCondition();
        if (condition != null && !condition.isBlank()) {
            throw new MessagingException("IsAcmeChallenge takes no condition, got '" + condition + "'");
        }
    }

    @Override
    public Collection<MailAddress> match(Mail mail) {
        if (!looksLikeChallenge(mail)) {
            return List.of();
        }
        return List.copyOf(getMailetContext().localRecipients(mail.getRecipients()));
    }

    private static boolean looksLikeChallenge(Mail mail) {
        try {
            MimeMessage message = mail.getMessage();
            if (message == null) {
                return false;
            }
            // raw values (folded, possibly RFC 2047-encoded): core does the decoding, in one place
            return Prefilter.looksLikeChallenge(
                    message.getHeader("Subject", null),
                    message.getHeader("Auto-Submitted", null));
        } catch (MessagingException e) {
            LOGGER.debug("Headers of {} unreadable, not an ACME challenge candidate: {}", mail.getName(), e.toString());
            return false;
        }
    }

    @Override
    public String getMatcherInfo() {
        return "IsAcmeChallenge: local recipients of mail that looks like an RFC 8823 challenge";
    }
}
