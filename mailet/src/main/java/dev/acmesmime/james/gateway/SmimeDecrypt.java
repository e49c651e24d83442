package dev.acmesmime.james.gateway;

import java.util.Set;
import java.util.function.Supplier;

import javax.inject.Inject;
import javax.mail.MessagingException;

import org.apache.james.core.MailAddress;
import org.apache.james.lifecycle.api.LifecycleUtil;
import org.apache.james.mailrepository.api.MailRepository;
import org.apache.james.mailrepository.api.MailRepositoryStore;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMailet;

import dev.acmesmime.gateway.GatewayCode;
import dev.acmesmime.gateway.GatewayResult;
import dev.acmesmime.gateway.Lookup;
import dev.acmesmime.gateway.SigningIdentity;
import dev.acmesmime.james.mailets.MailBytesOf;
import dev.acmesmime.james.runtime.AcmeSmimeRuntime;
import dev.acmesmime.james.runtime.GatewayServices;

/**
 * S/MIME gateway, organisation role (issue 16 §2, optional, off in the shipped {@code conf/org}):
 * decrypts incoming mail encrypted to a local mailbox's enrolled certificate with the stored key
 * before delivery, for organisations that archive or scan mail (G9).
 * <p>
 * It acts on a mail with exactly one recipient, a local mailbox, whose top-level entity is
 * {@code application/pkcs7-mime} enveloped (or auth-enveloped) data; the mailbox's identity must be
 * usable now (G2) and the mail enveloped for its certificate. Otherwise the mail passes unchanged with
 * the code: {@code not-protected}, {@code not-for-us} (several recipients, not local, or not enveloped
 * for this mailbox), {@code no-certificate}, {@code certificate-expired}, {@code key-mismatch},
 * {@code decrypt-failed}. The decrypted message replaces the mail; with {@value #ORIGINAL_REPOSITORY}
 * the encrypted original is kept there first.
 * <p>
 * Each decision sets the attribute {@code acme-smime.gateway.decrypt} to its code, adds
 * {@code X-Acme-Smime-Gateway: decrypt <code>[; <reason>]}, counts
 * {@code acme-smime.gateway.decrypt.<code>} and logs one INFO line; a mail that already carries the
 * attribute is left alone. Put it in {@code local-delivery} (recipient rewriting has run, so the
 * recipient is the mailbox) for incoming mail only, before {@code LocalDelivery}.
 * <p>
 * Parameters:
 * <ul>
 *   <li>{@value #ORIGINAL_REPOSITORY} (optional, default empty: not kept): the mail repository the
 *       encrypted original is stored in before it is replaced.</li>
 * </ul>
 * <pre><code>
 * &lt;processor state="local-delivery"&gt;
 *   &lt;matcher name="incoming" match="org.apache.james.mailetcontainer.impl.matchers.Not"&gt;
 *     &lt;matcher match="SMTPAuthSuccessful"/&gt;
 *     &lt;matcher match="SentByMailet"/&gt;
 *   &lt;/matcher&gt;
 *   &lt;mailet match="incoming" class="dev.acmesmime.james.gateway.SmimeDecrypt"&gt;
 *     &lt;originalRepository&gt;file://var/mail/smime-originals/&lt;/originalRepository&gt;
 *   &lt;/mailet&gt;
 *   ...
 *   &lt;mailet match="All" class="LocalDelivery"/&gt;
 * </code></pre>
 */
public class SmimeDecrypt extends GenericMailet {
    public static final String ORIGINAL_REPOSITORY = "originalRepository";

    private final Supplier<GatewayServices> services;
    private final MailRepositoryStore repositories;
    private GatewayServices gateway;
    private MailRepository originals;

    @Inject
    public SmimeDecrypt(AcmeSmimeRuntime runtime, MailRepositoryStore repositories) {
        this.services = runtime::gateway;
        this.repositories = repositories;
    }

    /** For tests: the gateway's services given directly. */
    SmimeDecrypt(GatewayServices services, MailRepositoryStore repositories) {
        this.services = () -> services;
        this.repositories = repositories;
    }

    @Override
    public void init() throws MessagingException {
        checkInitParameters(Set.of(ORIGINAL_REPOSITORY));
        gateway = GatewayInit.services(this, services);
        originals = GatewayInit.repository(this, repositories, ORIGINAL_REPOSITORY, "");
    }

    @Override
    public void service(Mail mail) throws MessagingException {
        if (mail.getAttribute(GatewayOperation.DECRYPT.attribute()).isPresent()) {
            return;
        }
        GatewayResult result = decide(mail);
        if (result.message().isPresent()) {
            keepOriginal(mail);
            NewMessage.replace(mail, result.message().get());
        }
        GatewayMark.record(mail, GatewayOperation.DECRYPT, result.code(), result.reason(), gateway.metrics());
    }

    private GatewayResult decide(Mail mail) throws MessagingException {
        if (!MimeShape.encrypted(mail.getMessage())) {
            return GatewayResult.unchanged(GatewayCode.NOT_PROTECTED, "not encrypted");
        }
        if (mail.getRecipients().size() != 1) {
            return GatewayResult.unchanged(GatewayCode.NOT_FOR_US,
                    "decrypted only for one recipient, this mail has " + mail.getRecipients().size());
        }
        MailAddress recipient = mail.getRecipients().iterator().next();
        if (!getMailetContext().isLocalEmail(recipient)) {
            return GatewayResult.unchanged(GatewayCode.NOT_FOR_US, "the recipient is not a local mailbox");
        }
        Lookup<SigningIdentity> identity = gateway.directory().identity(recipient.asString());
        if (!identity.found()) {
            return GatewayResult.unchanged(identity.code(), identity.reason());
        }
        return gateway.protection().decrypt(MailBytesOf.raw(mail), identity.value().orElseThrow());
    }

    private void keepOriginal(Mail mail) throws MessagingException {
        if (originals == null) {
            return;
        }
        Mail copy = mail.duplicate();
        try {
            originals.store(copy);
        } finally {
            LifecycleUtil.dispose(copy);
        }
    }

    @Override
    public String getMailetInfo() {
        return "SmimeDecrypt: decrypts incoming mail enveloped for a local mailbox's enrolled certificate";
    }
}
