package dev.acmesmime.james.gateway;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import javax.inject.Inject;
import javax.mail.MessagingException;

import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMailet;

import dev.acmesmime.gateway.GatewayCode;
import dev.acmesmime.gateway.GatewayResult;
import dev.acmesmime.gateway.Lookup;
import dev.acmesmime.gateway.SignPolicy;
import dev.acmesmime.gateway.SigningIdentity;
import dev.acmesmime.james.mailets.MailBytesOf;
import dev.acmesmime.james.runtime.AcmeSmimeRuntime;
import dev.acmesmime.james.runtime.GatewayServices;

/**
 * S/MIME gateway, organisation role (issue 16 §1): signs an outgoing mail with its sender's own
 * enrolled certificate, as a detached {@code multipart/signed} (RFC 8551), SHA-256, chain included
 * (G4), with RFC 9788 header protection when {@code gateway.headerProtection=true} in
 * {@code conf/acme-smime.properties} (G5).
 * <p>
 * A mail is signed only when all of these hold, checked in this order; otherwise it passes
 * unchanged and the code says why:
 * <ol>
 *   <li>its {@code From} is one mailbox ({@code malformed} otherwise);</li>
 *   <li>it is not an RFC 8823 challenge or response ({@code policy-off} otherwise: those are judged by
 *       their exact bytes, see {@link AcmeProtocolMail});</li>
 *   <li>G1: the SMTP-authenticated user is that mailbox (case-insensitive), or James generated the
 *       mail ({@code SentByMailet}, nobody authenticated) and that mailbox is one of
 *       {@value #INTERNAL_SENDERS} ({@code sender-not-authenticated} otherwise: the gateway never
 *       signs for someone else);</li>
 *   <li>the signing policy of that mailbox is {@code sign} ({@code gateway.sign[.<domain|mailbox>]},
 *       WebAdmin {@code /acme-smime/gateway/policies/{scope}}; {@code policy-off} otherwise);</li>
 *   <li>G3: the mail is not signed or encrypted already ({@code already-protected});</li>
 *   <li>G2: the mailbox has an issued, unrevoked certificate valid now whose stored key matches
 *       ({@code no-certificate}, {@code certificate-expired}, {@code certificate-not-yet-valid},
 *       {@code key-mismatch}).</li>
 * </ol>
 * Every decision sets the attribute {@code acme-smime.gateway.sign} to its code, adds the header
 * {@code X-Acme-Smime-Gateway: sign <code>[; <reason>]} ({@link GatewayMark}), counts
 * {@code acme-smime.gateway.sign.<code>} and logs one INFO line. A mail that already carries the
 * attribute (a copy another gateway mailet sent round {@code transport} again) is left alone.
 * A failure of the plugin itself (the store is down) throws: give {@code onMailetException=ignore}
 * to let such a mail go on unsigned.
 * <p>
 * Parameters:
 * <ul>
 *   <li>{@value #INTERNAL_SENDERS} (optional, default empty): comma-separated mailboxes whose mail
 *       James itself generates (no SMTP authentication) and which may be signed, e.g. a
 *       {@code noreply@} address of an application that drops mail into James's spool.</li>
 * </ul>
 * <pre><code>
 * &lt;processor state="transport"&gt;
 *   ...
 *   &lt;mailet match="relay-allowed" class="dev.acmesmime.james.gateway.SmimeSign"&gt;
 *     &lt;internalSenders&gt;&lt;/internalSenders&gt;
 *     &lt;onMailetException&gt;ignore&lt;/onMailetException&gt;
 *   &lt;/mailet&gt;
 *   &lt;mailet match="relay-allowed" class="dev.acmesmime.james.gateway.SmimeEncrypt"/&gt;
 *   &lt;mailet match="RecipientIsLocal" class="ToProcessor"&gt;...
 * </code></pre>
 */
public class SmimeSign extends GenericMailet {
    public static final String INTERNAL_SENDERS = "internalSenders";

    private final Supplier<GatewayServices> services;
    private GatewayServices gateway;
    private Set<String> internalSenders;

    @Inject
    public SmimeSign(AcmeSmimeRuntime runtime) {
        this.services = runtime::gateway;
    }

    /** For tests: the gateway's services given directly. */
    SmimeSign(GatewayServices services) {
        this.services = () -> services;
    }

    @Override
    public void init() throws MessagingException {
        checkInitParameters(Set.of(INTERNAL_SENDERS));
        internalSenders = Arrays.stream(getInitParameter(INTERNAL_SENDERS, "").split(","))
                .map(s -> s.trim().toLowerCase(Locale.ROOT)).filter(s -> !s.isEmpty()).collect(Collectors.toSet());
        for (String s : internalSenders) {
            if (s.indexOf('@') <= 0) {
                throw new MessagingException("'" + INTERNAL_SENDERS + "' must list mailboxes, got '" + s + "'");
            }
        }
        gateway = GatewayInit.services(this, services);
    }

    @Override
    public void service(Mail mail) throws MessagingException {
        if (mail.getAttribute(GatewayOperation.SIGN.attribute()).isPresent()) {
            return; // decided once already: a copy sent round transport again
        }
        GatewayResult result = decide(mail);
        if (result.message().isPresent()) {
            NewMessage.replace(mail, result.message().get());
        }
        GatewayMark.record(mail, GatewayOperation.SIGN, result.code(), result.reason(), gateway.metrics());
    }

    private GatewayResult decide(Mail mail) throws MessagingException {
        Optional<String> from = FromMailbox.of(mail.getMessage());
        if (from.isEmpty()) {
            return GatewayResult.unchanged(GatewayCode.MALFORMED, "From is not exactly one mailbox");
        }
        if (AcmeProtocolMail.is(mail.getMessage())) {
            return GatewayResult.unchanged(GatewayCode.POLICY_OFF, AcmeProtocolMail.REASON);
        }
        String mailbox = from.get();
        Optional<GatewayResult> refused = authorised(Submitter.of(mail), mailbox);
        if (refused.isPresent()) {
            return refused.get();
        }
        if (gateway.policies().signing(mailbox) != SignPolicy.SIGN) {
            return GatewayResult.unchanged(GatewayCode.POLICY_OFF, "signing is off for " + mailbox);
        }
        byte[] raw = MailBytesOf.raw(mail);
        if (gateway.protection().isProtected(raw)) {
            return GatewayResult.unchanged(GatewayCode.ALREADY_PROTECTED, "already signed or encrypted");
        }
        Lookup<SigningIdentity> identity = gateway.directory().identity(mailbox);
        if (!identity.found()) {
            return GatewayResult.unchanged(identity.code(), identity.reason());
        }
        return gateway.protection().sign(raw, identity.value().orElseThrow(), gateway.headerProtection());
    }

    /** G1; the reasons name no authenticated user, since the header reaches the recipients. */
    private Optional<GatewayResult> authorised(Submitter submitter, String mailbox) {
        if (submitter.authenticatedAs(mailbox)) {
            return Optional.empty();
        }
        if (submitter.internal() && internalSenders.contains(mailbox)) {
            return Optional.empty();
        }
        String why;
        if (submitter.authenticatedUser().isPresent()) {
            why = "the SMTP-authenticated user is not the From mailbox";
        } else if (submitter.sentByMailet()) {
            why = "generated inside James, From is not an internal sender";
        } else {
            why = "nobody authenticated over SMTP";
        }
        return Optional.of(GatewayResult.unchanged(GatewayCode.SENDER_NOT_AUTHENTICATED, why));
    }

    @Override
    public String getMailetInfo() {
        return "SmimeSign: signs a local sender's mail with their own enrolled S/MIME certificate";
    }
}
