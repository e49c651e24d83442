package dev.acmesmime.ca;

import java.util.List;
import java.util.Objects;

/**
 * A challenge mail the CA's ACME server submitted, as the CA's mail server holds it before sending.
 *
 * @param raw           the message, with its Message-ID
 * @param envelopeFrom  MAIL FROM, empty for the null sender
 * @param recipients    RCPT TO addresses
 * @param remoteAddress the submitting peer's address, for the evidence record
 */
public record OutgoingChallenge(byte[] raw, String envelopeFrom, List<String> recipients, String remoteAddress) {
    public OutgoingChallenge {
        raw = raw.clone();
        Objects.requireNonNull(envelopeFrom, "envelopeFrom");
        recipients = List.copyOf(recipients);
        Objects.requireNonNull(remoteAddress, "remoteAddress");
    }

    @Override
    public byte[] raw() {
        return raw.clone();
    }
}
