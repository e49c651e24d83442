package dev.acmesmime.organisation;

import dev.acmesmime.store.OutgoingResponse;

/**
 * Hands one response to the mail system (in James: {@code MailetContext.sendMail}, James's spool).
 * Returning normally means the mail system took it; any exception means it did not, and the
 * {@link ResponseDelivery} tries again later.
 */
@FunctionalInterface
public interface ResponseSender {
    void send(OutgoingResponse response) throws Exception;
}
