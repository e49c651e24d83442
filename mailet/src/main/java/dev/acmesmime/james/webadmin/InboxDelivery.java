package dev.acmesmime.james.webadmin;

import javax.mail.internet.AddressException;

import org.apache.james.core.MailAddress;
import org.apache.james.core.Username;
import org.apache.james.mailbox.MailboxManager;
import org.apache.james.mailbox.MailboxSession;
import org.apache.james.mailbox.MessageManager;
import org.apache.james.mailbox.MessageManager.AppendCommand;
import org.apache.james.mailbox.exception.MailboxException;
import org.apache.james.mailbox.exception.MailboxNotFoundException;
import org.apache.james.mailbox.model.MailboxPath;
import org.apache.james.user.api.UsersRepository;
import org.apache.james.user.api.UsersRepositoryException;

/**
 * Puts a message straight into a user's INBOX through James's {@link MailboxManager}, in a session of that
 * user (as James's LocalDelivery does), creating the INBOX when the user never had one. The message
 * never passes the spool, so no mailet, remote delivery or log line sees it.
 */
final class InboxDelivery {
    private final MailboxManager mailboxes;
    private final UsersRepository users;

    InboxDelivery(MailboxManager mailboxes, UsersRepository users) {
        this.mailboxes = mailboxes;
        this.users = users;
    }

    /** Appends {@code message} (header and body) to the INBOX of the user whose address is {@code mailbox}. */
    void append(String mailbox, byte[] message) throws MailboxException, UsersRepositoryException, AddressException {
        // the user name James gives this address (the local part alone without virtual hosting)
        Username user = users.getUsername(new MailAddress(mailbox));
        MailboxSession session = mailboxes.createSystemSession(user);
        mailboxes.startProcessingRequest(session);
        try {
            inbox(MailboxPath.inbox(user), session).appendMessage(AppendCommand.builder().delivery().recent()
                    .build(message), session);
        } finally {
            mailboxes.endProcessingRequest(session);
        }
    }

    private MessageManager inbox(MailboxPath path, MailboxSession session) throws MailboxException {
        try {
            return mailboxes.getMailbox(path, session);
        } catch (MailboxNotFoundException firstMail) {
            mailboxes.createMailbox(path, session);
            return mailboxes.getMailbox(path, session);
        }
    }
}
