package dev.acmesmime.deploy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.subethamail.smtp.TooMuchDataException;
import org.subethamail.wiser.WiserMessage;

import dev.acmesmime.james.it.OrgJames;
import dev.acmesmime.testing.FreePorts;

/**
 * The Internet between two James processes, one way: an SMTP server that the sending James uses as
 * RemoteDelivery's gateway and that passes each mail on over SMTP, at once, to the receiving James.
 * It keeps what passed (a {@link OrgRoleProcess.TimedSink}), and it can hold mails back while
 * {@link #hold()} is on, as a slow or broken link would, which a plain gateway setting cannot: a test
 * decides in which step of an enrolment the challenge mail reaches the organisation.
 */
final class MailHop extends OrgRoleProcess.TimedSink {

    private record Held(String from, String to, byte[] data) {
    }

    private final List<Held> held = new ArrayList<>();
    private int targetPort;
    private boolean holding;
    private final Set<String> endsHere = new HashSet<>();

    private MailHop() throws IOException {
        super(FreePorts.tcp());
    }

    /** A started hop; it refuses mail (4xx, the sender retries) until {@link #to(int)} names the receiver. */
    static MailHop open() throws IOException {
        MailHop hop = new MailHop();
        hop.start();
        return hop;
    }

    int port() {
        return getServer().getPort();
    }

    /** The receiving James's SMTP port on loopback. */
    synchronized void to(int smtpPort) {
        this.targetPort = smtpPort;
    }

    /**
     * Mail for {@code domain} ends here (kept, never passed on), as if delivered to that domain's own
     * server elsewhere on the Internet: the receiving James would only relay it back.
     */
    synchronized void endsHereFor(String domain) {
        endsHere.add(domain.toLowerCase(Locale.ROOT));
    }

    /** The mail that came through here for {@code recipient} with {@code messageId}; null if none did. */
    WiserMessage kept(String recipient, String messageId) {
        return getMessages().stream().filter(m -> m.getEnvelopeReceiver().equalsIgnoreCase(recipient))
                .filter(m -> new String(m.getData(), StandardCharsets.ISO_8859_1).contains("Message-ID: " + messageId))
                .findFirst().orElse(null);
    }

    /** From now on, mails are accepted and kept here, not passed on. */
    synchronized void hold() {
        holding = true;
    }

    /** Passes on every mail held, in the order they came, and every later one at once. */
    void release() throws IOException {
        List<Held> due;
        int port;
        synchronized (this) {
            holding = false;
            due = List.copyOf(held);
            held.clear();
            port = targetPort;
        }
        for (Held h : due) {
            OrgJames.send(port, h.from(), h.to(), h.data());
        }
    }

    @Override
    public void deliver(String from, String recipient, InputStream data) throws TooMuchDataException, IOException {
        byte[] raw = data.readAllBytes();
        String sender = from == null ? "" : from;
        int port;
        synchronized (this) {
            if (targetPort == 0) {
                throw new IOException("no receiver yet"); // the sender keeps the mail and retries
            }
            super.deliver(from, recipient, new ByteArrayInputStream(raw));
            if (endsHere.contains(recipient.substring(recipient.lastIndexOf('@') + 1).toLowerCase(Locale.ROOT))) {
                return;
            }
            if (holding) {
                held.add(new Held(sender, recipient, raw));
                return;
            }
            port = targetPort;
        }
        try {
            OrgJames.send(port, sender, recipient, raw);
        } catch (AssertionError refused) {
            // the receiver's reply goes back to the sender, as a relay's would
            throw new IOException("receiver refused: " + refused.getMessage(), refused);
        }
    }
}
