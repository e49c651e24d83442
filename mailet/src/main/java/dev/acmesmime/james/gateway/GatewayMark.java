package dev.acmesmime.james.gateway;

import java.util.ArrayList;
import java.util.List;

import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;

import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.acmesmime.gateway.GatewayCode;
import dev.acmesmime.metrics.MetricNames;
import dev.acmesmime.metrics.PluginMetrics;

/**
 * Records one gateway decision on a mail, the same way for every operation: the attribute
 * {@code acme-smime.gateway.<op>} = the code, one header line
 * {@code X-Acme-Smime-Gateway: <op> <code>[; <reason>]}, one count of
 * {@code acme-smime.gateway.<op>.<code>} and one INFO log line. A header line of the same operation
 * already on the mail (put there by a sender, or by an earlier pass) is replaced, so the mailbox never
 * shows a verdict the gateway did not give. Reasons are core's one-line texts, which name no secret;
 * they are cut to one printable line here all the same.
 */
public final class GatewayMark {
    /** The header naming what the gateway did. */
    public static final String HEADER = "X-Acme-Smime-Gateway";
    /** Longest reason written into the header; the log keeps the whole. */
    static final int MAX_REASON = 160;

    private static final Logger LOGGER = LoggerFactory.getLogger(GatewayMark.class);

    private GatewayMark() {
    }

    /** Marks {@code mail} with {@code code} and {@code reason} for {@code op}, counts and logs it. */
    public static void record(Mail mail, GatewayOperation op, GatewayCode code, String reason, PluginMetrics metrics)
            throws MessagingException {
        mail.setAttribute(new Attribute(op.attribute(), AttributeValue.of(code.code())));
        replaceHeader(mail.getMessage(), op, headerValue(op, code, reason));
        metrics.increment(MetricNames.byCode(op.metric(), code));
        LOGGER.info("acme-smime gateway {} {}: {} ({}), recipients {}", op.word(), mail.getName(), code.code(),
                oneLine(reason), mail.getRecipients().size());
    }

    /** Removes every gateway header line, whatever its operation: for mail arriving from outside. */
    static void removeForged(MimeMessage message) throws MessagingException {
        message.removeHeader(HEADER);
    }

    /** {@code <op> <code>[; <reason>]}, one line, at most {@value #MAX_REASON} characters of reason. */
    static String headerValue(GatewayOperation op, GatewayCode code, String reason) {
        String r = oneLine(reason);
        if (r.length() > MAX_REASON) {
            r = r.substring(0, MAX_REASON - 3) + "...";
        }
        return op.word() + " " + code.code() + (r.isEmpty() ? "" : "; " + r);
    }

    /** Printable ASCII only: no CR/LF can split the header, no control character reaches a mail client. */
    static String oneLine(String reason) {
        StringBuilder b = new StringBuilder(reason.length());
        for (char c : reason.toCharArray()) {
            b.append(c >= 0x20 && c < 0x7f ? c : ' ');
        }
        return b.toString().trim();
    }

    private static void replaceHeader(MimeMessage message, GatewayOperation op, String value)
            throws MessagingException {
        String[] existing = message.getHeader(HEADER);
        List<String> others = new ArrayList<>();
        if (existing != null) {
            for (String v : existing) {
                if (!v.trim().startsWith(op.word() + " ")) {
                    others.add(v);
                }
            }
            message.removeHeader(HEADER);
        }
        for (String v : others) {
            message.addHeader(HEADER, v);
        }
        // never saveChanges(): JavaMail would rewrite the body's MIME headers and break a signature
        message.addHeader(HEADER, value);
    }
}
