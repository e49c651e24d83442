package dev.acmesmime.james.webadmin;

import javax.mail.internet.AddressException;

import org.apache.james.core.MailAddress;
import org.apache.james.user.api.UsersRepository;
import org.apache.james.user.api.UsersRepositoryException;

import dev.acmesmime.organisation.RegistrationRequest;
import dev.acmesmime.organisation.RegistrationRequest.InvalidRegistrationException;

/**
 * The two checks every organisation-role route makes on a mailbox in its path or query: it is a
 * mailbox ({@code local@domain}, 400 otherwise) and, for routes that act on it, a user of this
 * James (404 otherwise: its challenge mail would never reach the responder, which answers for local
 * mailboxes only).
 */
final class LocalMailboxes {

    private LocalMailboxes() {
    }

    /**
     * @param name the parameter's name, for the 400 message
     * @return the mailbox, as core's {@link RegistrationRequest#mailbox} normalises it
     */
    static String mailbox(String value, String name) {
        try {
            return RegistrationRequest.mailbox(value, name);
        } catch (InvalidRegistrationException e) {
            throw RouteErrors.badRequest("%s", e.getMessage());
        }
    }

    /** Halts with 404 unless {@code mailbox} is a user of {@code users}. */
    static void requireUser(UsersRepository users, String mailbox) {
        boolean known;
        try {
            // the user name James gives this address (the local part alone without virtual hosting),
            // as its isLocalEmail does for the responder's recipients
            known = users.contains(users.getUsername(new MailAddress(mailbox)));
        } catch (AddressException e) {
            throw RouteErrors.badRequest("'mailbox' is not a mailbox (local@domain)");
        } catch (UsersRepositoryException e) {
            throw RouteErrors.serverError("the users repository cannot be read: %s", e.getMessage());
        }
        if (!known) {
            throw RouteErrors.notFound("%s is not a user of this server", mailbox);
        }
    }
}
