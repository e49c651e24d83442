package dev.acmesmime.james.gateway;

import java.util.Locale;

import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;

import dev.acmesmime.rfc8823.Prefilter;

/**
 * Whether a mail is RFC 8823 protocol mail, a challenge or a response: {@code ACME:} in the Subject and
 * an {@code Auto-Submitted} field other than {@code no} (C24, R18). The gateway never signs or encrypts
 * it: the CA and the responder judge those mails by their exact bytes and DKIM signature, and an
 * S/MIME wrapping would make a response unreadable to the CA. A user's own mail with {@code ACME:} in
 * its Subject carries no {@code Auto-Submitted} and is treated like any other.
 */
final class AcmeProtocolMail {
    static final String REASON = "RFC 8823 challenge or response: never signed or encrypted";

    private AcmeProtocolMail() {
    }

    static boolean is(MimeMessage message) throws MessagingException {
        String autoSubmitted = message.getHeader("Auto-Submitted", null);
        if (autoSubmitted == null || autoSubmitted.trim().toLowerCase(Locale.ROOT).startsWith("no")) {
            return false;
        }
        return Prefilter.looksLikeResponseSubject(message.getHeader("Subject", null));
    }
}
