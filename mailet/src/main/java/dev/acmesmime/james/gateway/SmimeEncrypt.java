package dev.acmesmime.james.gateway;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

import javax.inject.Inject;
import javax.mail.MessagingException;

import org.apache.james.core.MailAddress;
import org.apache.james.mailrepository.api.MailRepositoryStore;
import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeName;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMailet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.acmesmime.gateway.GatewayCode;
import dev.acmesmime.gateway.GatewayResult;
import dev.acmesmime.gateway.Lookup;
import dev.acmesmime.gateway.RecipientCertificate;
import dev.acmesmime.james.mailets.MailBytesOf;
import dev.acmesmime.james.mailets.SpooledCopy;
import dev.acmesmime.james.runtime.AcmeSmimeRuntime;
import dev.acmesmime.james.runtime.GatewayServices;

/**
 * S/MIME gateway, organisation role (issue 16 §2): encrypts an outgoing mail to the recipients whose
 * certificate is known, following each recipient's encryption policy
 * ({@code gateway.encrypt[.<domain|mailbox>]=off|opportunistic|required} in
 * {@code conf/acme-smime.properties}, WebAdmin {@code /acme-smime/gateway/policies/{scope}}).
 * <p>
 * Per recipient ({@link EncryptionPlan}): policy {@code off}, or {@code opportunistic} without a known
 * certificate, gets the mail in clear; a known certificate (the local mailbox's enrolled one, else a
 * harvested correspondent's, valid now) gets the encrypted copy; {@code required} without one is
 * held (G8). The encrypted copy is one {@code application/pkcs7-mime} to all those recipients' certificates
 * and the sender's own, when the sender is a local mailbox with a certificate that authenticated as
 * the From mailbox (or James generated the mail), so the sent copy stays readable (G7); AES-256-GCM
 * AuthEnvelopedData when every certificate is GCM-capable, AES-256-CBC EnvelopedData otherwise.
 * Should encryption itself fail, the {@code required} recipients are held and the others get the mail
 * in clear.
 * <p>
 * A mixed mail is split: the mail itself goes on with the first group (in clear, else encrypted),
 * each other group as a copy sent round this processor again (it passes this mailet untouched);
 * the held recipients' copy is stored in {@value #HELD_REPOSITORY} and the envelope sender gets a
 * short notice from the postmaster naming them and why ({@link HeldMail}). Every recipient is in
 * exactly one of them. Mail already encrypted is left alone ({@code already-protected}), and so is RFC 8823
 * protocol mail ({@code policy-off}, {@link AcmeProtocolMail}).
 * <p>
 * Each copy gets the attribute {@code acme-smime.gateway.encrypt} = its code ({@code encrypted},
 * {@code policy-off}, {@code no-recipient-certificate}, {@code already-protected}, or core's code when
 * encryption failed), the header {@code X-Acme-Smime-Gateway: encrypt <code>[; <reason>]} (which names no
 * recipient, so no Bcc is revealed), one count of {@code acme-smime.gateway.encrypt.<code>} and one INFO
 * line. A failure of the plugin itself (the store is down) throws; keep James's default error handling
 * here, so that such a mail is never sent in clear by mistake.
 * <p>
 * Parameters:
 * <ul>
 *   <li>{@value #HELD_REPOSITORY} (optional, default {@value #DEFAULT_HELD_REPOSITORY}): the mail
 *       repository held mail is kept in; on disk by default, so that a restart loses none.</li>
 * </ul>
 * <pre><code>
 * &lt;mailet match="relay-allowed" class="dev.acmesmime.james.gateway.SmimeEncrypt"&gt;
 *   &lt;heldRepository&gt;file://var/mail/smime-held/&lt;/heldRepository&gt;
 * &lt;/mailet&gt;
 * </code></pre>
 */
public class SmimeEncrypt extends GenericMailet {
    public static final String HELD_REPOSITORY = "heldRepository";
    public static final String DEFAULT_HELD_REPOSITORY = "file://var/mail/smime-held/";
    /** On a copy this mailet split off and sent round the processor again: it is decided already. */
    static final AttributeName SPLIT_ATTRIBUTE = AttributeName.of("acme-smime.gateway.encrypt.split");

    private static final Logger LOGGER = LoggerFactory.getLogger(SmimeEncrypt.class);

    private final Supplier<GatewayServices> services;
    private final MailRepositoryStore repositories;
    private GatewayServices gateway;
    private HeldMail heldMail;

    @Inject
    public SmimeEncrypt(AcmeSmimeRuntime runtime, MailRepositoryStore repositories) {
        this.services = runtime::gateway;
        this.repositories = repositories;
    }

    /** For tests: the gateway's services given directly. */
    SmimeEncrypt(GatewayServices services, MailRepositoryStore repositories) {
        this.services = () -> services;
        this.repositories = repositories;
    }

    @Override
    public void init() throws MessagingException {
        checkInitParameters(Set.of(HELD_REPOSITORY));
        String url = getInitParameter(HELD_REPOSITORY, DEFAULT_HELD_REPOSITORY).trim();
        if (url.isEmpty()) {
            throw new MessagingException("'" + HELD_REPOSITORY + "' must not be empty");
        }
        gateway = GatewayInit.services(this, services);
        heldMail = new HeldMail(GatewayInit.repository(this, repositories, HELD_REPOSITORY, DEFAULT_HELD_REPOSITORY),
                url, gateway.metrics());
    }

    @Override
    public void service(Mail mail) throws MessagingException {
        if (mail.removeAttribute(SPLIT_ATTRIBUTE).isPresent()) {
            return;
        }
        if (MimeShape.encrypted(mail.getMessage())) {
            GatewayMark.record(mail, GatewayOperation.ENCRYPT, GatewayCode.ALREADY_PROTECTED, "already encrypted",
                    gateway.metrics());
            return;
        }
        if (AcmeProtocolMail.is(mail.getMessage())) {
            GatewayMark.record(mail, GatewayOperation.ENCRYPT, GatewayCode.POLICY_OFF, AcmeProtocolMail.REASON,
                    gateway.metrics());
            return;
        }
        EncryptionPlan plan;
        try {
            plan = EncryptionPlan.of(mail.getRecipients(), gateway.policies(), gateway.directory());
        } catch (RuntimeException e) {
            throw new MessagingException("acme-smime gateway: cannot decide encryption of " + mail.getName(), e);
        }
        List<Part> parts = new ArrayList<>();
        List<MailAddress> held = new ArrayList<>(plan.held());
        if (!plan.clear().isEmpty()) {
            parts.add(clear(plan)); // first: the mail itself goes on in clear, the encrypted copy goes round
        }
        if (!plan.encrypted().isEmpty()) {
            encrypt(mail, plan, parts, held);
        }
        route(mail, parts, held);
    }

    private void encrypt(Mail mail, EncryptionPlan plan, List<Part> parts, List<MailAddress> held)
            throws MessagingException {
        List<RecipientCertificate> certificates = withSender(mail, plan.certificates());
        GatewayResult result = gateway.protection().encrypt(MailBytesOf.raw(mail), certificates);
        if (result.message().isPresent()) {
            // core's reason may list the recipients: the header of every copy would show a Bcc to the others
            LOGGER.debug("acme-smime gateway encrypt {}: {}", mail.getName(), result.reason());
            parts.add(new Part(plan.encrypted(), result.code(), "encrypted to " + certificates.size()
                    + " certificate(s)", result.message()));
            return;
        }
        held.addAll(plan.required()); // never in clear
        List<MailAddress> rest = plan.encrypted().stream().filter(r -> !plan.required().contains(r)).toList();
        if (!rest.isEmpty()) {
            parts.add(new Part(rest, result.code(), "not encrypted, sent in clear: " + result.reason(), Optional.empty()));
        }
    }

    private static Part clear(EncryptionPlan plan) {
        int off = plan.clear().size() - plan.withoutCertificate();
        if (plan.withoutCertificate() == 0) {
            return new Part(plan.clear(), GatewayCode.POLICY_OFF, "encryption is off for these recipients", Optional.empty());
        }
        return new Part(plan.clear(), GatewayCode.NO_RECIPIENT_CERTIFICATE, "no certificate known for "
                + plan.withoutCertificate() + " recipient(s), sent in clear (opportunistic)"
                + (off == 0 ? "" : "; encryption off for " + off), Optional.empty());
    }

    /** G7: the sender's own certificate too, when the sender is the authenticated local From mailbox. */
    private List<RecipientCertificate> withSender(Mail mail, List<RecipientCertificate> certificates)
            throws MessagingException {
        Optional<String> from = FromMailbox.of(mail.getMessage());
        Submitter submitter = Submitter.of(mail);
        if (from.isEmpty() || !(submitter.authenticatedAs(from.get()) || submitter.internal())
                || !getMailetContext().isLocalEmail(new MailAddress(from.get()))
                || certificates.stream().anyMatch(c -> c.address().equalsIgnoreCase(from.get()))) {
            return certificates;
        }
        Lookup<RecipientCertificate> own = gateway.directory().recipient(from.get());
        if (!own.found()) {
            return certificates;
        }
        List<RecipientCertificate> all = new ArrayList<>(certificates);
        all.add(own.value().orElseThrow());
        return all;
    }

    /** The mail goes on with the first part; the other parts go round as copies; the held copy is stored. */
    private void route(Mail mail, List<Part> parts, List<MailAddress> held) throws MessagingException {
        String state = mail.getState();
        if (!held.isEmpty()) {
            heldMail.hold(MailCopy.of(mail), held, "required encryption, no usable certificate", getMailetContext());
        }
        for (Part part : parts.subList(Math.min(1, parts.size()), parts.size())) {
            Mail copy = MailCopy.of(mail);
            apply(copy, part);
            copy.setAttribute(new Attribute(SPLIT_ATTRIBUTE, AttributeValue.of(true)));
            SpooledCopy.send(getMailetContext(), copy, state);
        }
        if (parts.isEmpty()) {
            mail.setState(Mail.GHOST);
        } else {
            apply(mail, parts.get(0));
        }
    }

    private void apply(Mail target, Part part) throws MessagingException {
        target.setRecipients(part.recipients());
        if (part.message().isPresent()) {
            NewMessage.replace(target, part.message().get());
        }
        GatewayMark.record(target, GatewayOperation.ENCRYPT, part.code(), part.reason(), gateway.metrics());
    }

    /** One group of recipients, the copy's code and reason, and its new message when it was encrypted. */
    private record Part(List<MailAddress> recipients, GatewayCode code, String reason, Optional<byte[]> message) {
    }

    @Override
    public String getMailetInfo() {
        return "SmimeEncrypt: encrypts outgoing mail to the recipients' known S/MIME certificates";
    }
}
