package dev.acmesmime.ca;

import java.util.List;
import java.util.Objects;

/**
 * A mail as the CA's mail server received it: the bytes and the SMTP facts the evidence record
 * keeps (S/MIME BR §5.4.1: "all information ... received in connection with the Certificate Request").
 *
 * @param raw           the message as received
 * @param envelopeFrom  MAIL FROM, empty for the null sender
 * @param recipients    RCPT TO addresses (the challenge addresses it was sent to)
 * @param remoteAddress the SMTP peer's IP address
 * @param remoteHost    the SMTP peer's host name as James resolved it
 */
public record InboundResponse(byte[] raw, String envelopeFrom, List<String> recipients, String remoteAddress,
                              String remoteHost) {
    public InboundResponse {
        raw = raw.clone();
        Objects.requireNonNull(envelopeFrom, "envelopeFrom");
        recipients = List.copyOf(recipients);
        Objects.requireNonNull(remoteAddress, "remoteAddress");
        Objects.requireNonNull(remoteHost, "remoteHost");
    }

    @Override
    public byte[] raw() {
        return raw.clone();
    }
}
