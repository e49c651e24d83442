package dev.acmesmime.james.gateway;

import java.util.List;

import javax.mail.MessagingException;

import org.apache.james.core.MailAddress;
import org.apache.james.lifecycle.api.LifecycleUtil;
import org.apache.james.mailrepository.api.MailRepository;
import org.apache.mailet.Mail;
import org.apache.mailet.MailetContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.acmesmime.gateway.GatewayCode;
import dev.acmesmime.metrics.PluginMetrics;

/**
 * G8 {@code required}: keeps the copy of a mail for the recipients no certificate is known for in a mail
 * repository (WebAdmin {@code /mailRepositories/...} lists it, and can send it on to {@code transport}
 * once a certificate is known) and tells the sender with a {@link SenderNotice}. A mail without a
 * sender (a bounce) gets no notice.
 */
final class HeldMail {
    private static final Logger LOGGER = LoggerFactory.getLogger(HeldMail.class);

    private final MailRepository repository;
    private final String repositoryUrl;
    private final PluginMetrics metrics;

    HeldMail(MailRepository repository, String repositoryUrl, PluginMetrics metrics) {
        this.repository = repository;
        this.repositoryUrl = repositoryUrl;
        this.metrics = metrics;
    }

    /** Stores {@code copy} (already a copy of its own) for {@code held}, disposes it, and notifies the sender. */
    void hold(Mail copy, List<MailAddress> held, String reason, MailetContext context) throws MessagingException {
        try {
            copy.setRecipients(held);
            GatewayMark.record(copy, GatewayOperation.ENCRYPT, GatewayCode.NO_RECIPIENT_CERTIFICATE,
                    "held in " + repositoryUrl + ": " + reason, metrics);
            repository.store(copy);
            notifySender(copy, held, context);
        } finally {
            LifecycleUtil.dispose(copy);
        }
    }

    private void notifySender(Mail copy, List<MailAddress> held, MailetContext context) throws MessagingException {
        if (copy.getMaybeSender().isNullSender() || copy.getMaybeSender().asOptional().isEmpty()) {
            LOGGER.info("acme-smime gateway: held mail {} has no sender to notify", copy.getName());
            return;
        }
        MailAddress sender = copy.getMaybeSender().get();
        MailAddress postmaster = context.getPostmaster();
        context.sendMail(postmaster, List.of(sender),
                SenderNotice.compose(postmaster, sender, held, copy.getMessage(), repositoryUrl));
    }
}
