package dev.acmesmime.testca.mail;

import dev.acmesmime.rfc8823.Addresses;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import org.apache.commons.net.smtp.AuthenticatingSMTPClient;
import org.apache.commons.net.smtp.SMTPReply;

/**
 * Submits one message to the relay ({@code smtp.host:smtp.port}) over plain SMTP: EHLO, MAIL FROM,
 * RCPT TO, DATA. Every reply is checked; a refusal becomes an {@link IOException} that names the step
 * and quotes the relay's reply, so that a test CA whose relay does not take its challenges says why.
 * The relay is a loopback test MTA (typically the CA-role James), hence no STARTTLS and no AUTH.
 */
final class SmtpSubmission {
    private static final int TIMEOUT_MILLIS = 30_000;

    private final String host;
    private final int port;

    SmtpSubmission(String host, int port) {
        this.host = host;
        this.port = port;
    }

    /** Sends {@code message} (US-ASCII, CRLF) from {@code sender} to {@code recipient}. */
    void submit(String sender, String recipient, byte[] message) throws IOException {
        AuthenticatingSMTPClient client = new AuthenticatingSMTPClient();
        client.setDefaultTimeout(TIMEOUT_MILLIS);
        client.setConnectTimeout(TIMEOUT_MILLIS);
        try {
            connect(client);
            client.setSoTimeout(TIMEOUT_MILLIS);
            expect(client, SMTPReply.isPositiveCompletion(client.getReplyCode()), "greeting");
            expect(client, SMTPReply.isPositiveCompletion(client.ehlo(heloName(sender))), "EHLO");
            expect(client, client.setSender(sender), "MAIL FROM:<" + sender + ">");
            expect(client, client.addRecipient(recipient), "RCPT TO:<" + recipient + ">");
            Writer data = client.sendMessageData();
            expect(client, data != null, "DATA");
            try (data) {
                data.write(new String(message, StandardCharsets.US_ASCII));
            }
            expect(client, client.completePendingCommand(), "end of DATA");
            client.logout();
        } finally {
            if (client.isConnected()) {
                client.disconnect();
            }
        }
    }

    private void connect(AuthenticatingSMTPClient client) throws IOException {
        try {
            client.connect(host, port);
        } catch (IOException e) {
            throw new IOException("cannot connect to SMTP relay " + host + ":" + port + ": " + e.getMessage(), e);
        }
    }

    private void expect(AuthenticatingSMTPClient client, boolean ok, String step) throws IOException {
        if (!ok) {
            throw new IOException("SMTP relay " + host + ":" + port + " refused " + step + ": "
                    + client.getReplyString().strip());
        }
    }

    /**
     * The EHLO name: the sender's domain, the CA's mail domain. Looking up this host's own name
     * instead can take seconds on a test machine without reverse DNS.
     */
    private static String heloName(String sender) {
        String domain = Addresses.domainOf(sender);
        return domain.isEmpty() ? "localhost" : domain;
    }
}
