package dev.acmesmime.james.gateway;

import java.util.Locale;
import java.util.Optional;

import org.apache.mailet.AttributeUtils;
import org.apache.mailet.Mail;

/**
 * Who handed a mail to James: the SMTP-authenticated user ({@link Mail#SMTP_AUTH_USER}), James
 * itself ({@link Mail#SENT_BY_MAILET}: a notice, a bounce, a challenge response), or nobody known,
 * which is mail arriving from outside. Read from the attributes James's SMTP server and mailet context
 * set; a sender cannot put them into a mail.
 *
 * @param authenticatedUser the SMTP AUTH user name, lower case, when there is one
 * @param sentByMailet      whether James generated the mail ({@code MailetContext.sendMail})
 */
record Submitter(Optional<String> authenticatedUser, boolean sentByMailet) {

    static Submitter of(Mail mail) {
        Optional<String> user = AttributeUtils.getValueAndCastFromMail(mail, Mail.SMTP_AUTH_USER, String.class)
                .map(u -> u.trim().toLowerCase(Locale.ROOT))
                .filter(u -> !u.isEmpty());
        return new Submitter(user, mail.getAttribute(Mail.SENT_BY_MAILET_ATTRIBUTE.getName()).isPresent());
    }

    /** Neither an authenticated user nor James: mail from outside (or from an unauthenticated client). */
    boolean incoming() {
        return authenticatedUser.isEmpty() && !sentByMailet;
    }

    /** G1: the authenticated user is {@code mailbox} (James's users are full addresses: virtual hosting). */
    boolean authenticatedAs(String mailbox) {
        return authenticatedUser.filter(u -> u.equalsIgnoreCase(mailbox)).isPresent();
    }

    /** James generated the mail, no user authenticated it. */
    boolean internal() {
        return authenticatedUser.isEmpty() && sentByMailet;
    }
}
