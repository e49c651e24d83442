package dev.acmesmime.james.webadmin;

import java.io.IOException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Date;

import javax.mail.MessagingException;
import javax.mail.internet.AddressException;

import org.apache.james.mailbox.exception.MailboxException;
import org.apache.james.user.api.UsersRepository;
import org.apache.james.user.api.UsersRepositoryException;
import org.apache.james.webadmin.utils.JsonExtractException;
import org.apache.james.webadmin.utils.JsonExtractor;
import org.apache.james.webadmin.utils.JsonTransformer;

import com.fasterxml.jackson.core.JsonProcessingException;

import dev.acmesmime.gateway.Lookup;
import dev.acmesmime.gateway.Pkcs12Export;
import dev.acmesmime.gateway.SigningIdentity;
import dev.acmesmime.james.runtime.AcmeSmimeRuntime;
import dev.acmesmime.metrics.MetricNames;
import dev.acmesmime.store.AuditEvent;
import dev.acmesmime.store.AuditRecord;
import spark.Request;
import spark.Response;

/**
 * {@code POST /acme-smime/enrolments/{mailbox}/pkcs12} of {@link GatewayRoutes} (issue 16 §3, G10): a mailbox's
 * key and chain as PKCS#12, answered to the admin or put into the user's INBOX under a one-time password.
 * The identity comes from the certificate directory only, so G2 holds: an expired, revoked or mismatched
 * certificate is never exported. Every export is audited ({@code pkcs12-exported}: the mailbox, the leaf's
 * serial, the format and how it left) and counted; no password is ever logged, audited or echoed in an error.
 */
final class Pkcs12Exports {
    /** The shortest password an admin may choose. */
    static final int MIN_PASSWORD = 8;
    /** One-time passwords: 20 characters of 56 (about 116 bits), none that reads as another. */
    static final int ONE_TIME_LENGTH = 20;
    private static final char[] ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789".toCharArray();
    private static final String BODY = "the body must be JSON {\"password\": \"at least 8 characters\", \"legacy\": false}"
            + " or {\"deliver\": true, \"legacy\": false}";

    /** The request body; {@code legacy} and {@code deliver} default to {@code false}. */
    public record Pkcs12Request(String password, Boolean legacy, Boolean deliver) {
    }

    /** The answer of a delivery: the only place the one-time password appears. */
    public record Delivered(boolean delivered, String password) {
    }

    private final AcmeSmimeRuntime runtime;
    private final UsersRepository users;
    private final InboxDelivery inbox;
    private final Pkcs12Export export = new Pkcs12Export();
    private final JsonExtractor<Pkcs12Request> extractor = new JsonExtractor<>(Pkcs12Request.class);
    private final JsonTransformer json = new JsonTransformer();
    private final SecureRandom random = new SecureRandom();

    Pkcs12Exports(AcmeSmimeRuntime runtime, UsersRepository users, InboxDelivery inbox) {
        this.runtime = runtime;
        this.users = users;
        this.inbox = inbox;
    }

    Object export(Request request, Response response) throws JsonProcessingException {
        String mailbox = LocalMailboxes.mailbox(request.params("mailbox"), "mailbox");
        Pkcs12Request body = parse(request.body());
        boolean deliver = Boolean.TRUE.equals(body.deliver());
        boolean legacy = Boolean.TRUE.equals(body.legacy());
        if (deliver && body.password() != null) {
            throw RouteErrors.badRequest("a delivered PKCS#12 gets a one-time password: leave 'password' out");
        }
        if (!deliver && (body.password() == null || body.password().length() < MIN_PASSWORD)) {
            throw RouteErrors.badRequest("'password' must be at least %d characters", MIN_PASSWORD);
        }
        if (deliver) {
            LocalMailboxes.requireUser(users, mailbox);
        }
        SigningIdentity identity = identity(mailbox);
        char[] password = deliver ? oneTimePassword() : body.password().toCharArray();
        try {
            byte[] pkcs12 = export.export(identity, password, legacy);
            if (deliver) {
                deliver(mailbox, pkcs12);
                audit(identity, legacy, "delivered to the INBOX");
                response.type("application/json");
                return json.render(new Delivered(true, new String(password)));
            }
            audit(identity, legacy, "downloaded");
            response.type(Pkcs12Mail.TYPE);
            response.header("Content-Disposition", "attachment; filename=\"" + Pkcs12Mail.fileName(mailbox) + "\"");
            return pkcs12;
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    private Pkcs12Request parse(String body) {
        Pkcs12Request parsed;
        try {
            parsed = extractor.parse(body);
        } catch (JsonExtractException e) {
            // not e.getMessage(): the parser quotes the body, which may hold the password
            throw RouteErrors.badRequest("%s", BODY);
        }
        if (parsed == null) {
            throw RouteErrors.badRequest("%s", BODY);
        }
        return parsed;
    }

    private SigningIdentity identity(String mailbox) {
        Lookup<SigningIdentity> lookup = runtime.certificateDirectory().identity(mailbox);
        return lookup.value().orElseThrow(() -> RouteErrors.notFound("no usable certificate for %s: %s (%s)", mailbox,
                lookup.reason(), lookup.code().code()));
    }

    private void deliver(String mailbox, byte[] pkcs12) {
        try {
            inbox.append(mailbox, Pkcs12Mail.compose(mailbox, pkcs12, Date.from(runtime.clock().instant())));
        } catch (MailboxException | UsersRepositoryException | AddressException e) {
            throw RouteErrors.serverError("the PKCS#12 could not be put into %s's INBOX: %s", mailbox, e.getMessage());
        } catch (MessagingException | IOException e) {
            throw RouteErrors.serverError("the PKCS#12 mail could not be written: %s", e.getMessage());
        }
    }

    private void audit(SigningIdentity identity, boolean legacy, String how) {
        runtime.store().audit().append(AuditRecord.entry(AuditEvent.PKCS12_EXPORTED).address(identity.mailbox())
                .token(identity.leaf().getSerialNumber().toString(16)).outcome(legacy ? "legacy" : "aes256")
                .detail(how));
        runtime.metrics().increment(MetricNames.GATEWAY_PKCS12_EXPORTED);
    }

    private char[] oneTimePassword() {
        char[] password = new char[ONE_TIME_LENGTH];
        for (int i = 0; i < password.length; i++) {
            password[i] = ALPHABET[random.nextInt(ALPHABET.length)];
        }
        return password;
    }
}
