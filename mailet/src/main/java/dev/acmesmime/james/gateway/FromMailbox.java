package dev.acmesmime.james.gateway;

import java.util.Locale;
import java.util.Optional;

import javax.mail.MessagingException;
import javax.mail.internet.AddressException;
import javax.mail.internet.InternetAddress;
import javax.mail.internet.MimeMessage;

/**
 * The one mailbox of a message's {@code From} field, lower case. A message with no From, several
 * From fields or several mailboxes in it has none: the gateway signs for, and harvests from, one
 * author only (G1, G6). Never falls back to {@code Sender}, as JavaMail's {@code getFrom()} would.
 */
final class FromMailbox {
    private FromMailbox() {
    }

    static Optional<String> of(MimeMessage message) throws MessagingException {
        String[] fields = message.getHeader("From");
        if (fields == null || fields.length != 1) {
            return Optional.empty();
        }
        try {
            InternetAddress[] addresses = InternetAddress.parseHeader(fields[0], false);
            if (addresses.length != 1 || addresses[0].isGroup() || addresses[0].getAddress() == null
                    || !addresses[0].getAddress().contains("@")) {
                return Optional.empty();
            }
            return Optional.of(addresses[0].getAddress().trim().toLowerCase(Locale.ROOT));
        } catch (AddressException e) {
            return Optional.empty();
        }
    }
}
