package dev.acmesmime.testca.client;

import static org.awaitility.Awaitility.await;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.apache.james.mime4j.dom.Message;
import org.apache.james.mime4j.dom.address.Mailbox;
import org.apache.james.mime4j.message.DefaultMessageBuilder;
import org.apache.james.mime4j.stream.Field;
import org.subethamail.wiser.Wiser;
import org.subethamail.wiser.WiserMessage;

/** The challenge mails the test CA submitted to the SMTP sink. */
public final class ChallengeMails {
    private static final String SUBJECT_PREFIX = "ACME: ";

    private final Wiser sink;

    public ChallengeMails(Wiser sink) {
        this.sink = sink;
    }

    /**
     * One challenge mail as read from the sink.
     *
     * @param tokenPart1    from the Subject {@code ACME: <token-part1>}
     * @param autoSubmitted the Auto-Submitted field's body, if any
     * @param date          the Date field, if any
     */
    public record Received(String envelopeTo, String from, String subject, String tokenPart1, String messageId,
                           Optional<Instant> date, Optional<String> autoSubmitted) {
    }

    /** Waits for the first challenge mail to {@code address}. */
    public Received awaitFor(String address) {
        return awaitFor(address, 0);
    }

    /** Waits for the {@code index}th (from 0) challenge mail to {@code address}, e.g. a renewal's. */
    public Received awaitFor(String address, int index) {
        return await("challenge mail " + index + " to " + address).atMost(Duration.ofSeconds(15))
                .pollInterval(Duration.ofMillis(50)).until(() -> find(address, index), Optional::isPresent)
                .orElseThrow();
    }

    /** All mails the sink received for {@code address}. */
    public List<WiserMessage> to(String address) {
        // Wiser hands out its live list; copying takes its lock, so a delivery cannot interleave
        return List.copyOf(sink.getMessages()).stream()
                .filter(m -> m.getEnvelopeReceiver().equalsIgnoreCase(address)).toList();
    }

    private Optional<Received> find(String address, int index) {
        List<WiserMessage> mails = to(address);
        return mails.size() > index ? Optional.of(parse(mails.get(index))) : Optional.empty();
    }

    private static Received parse(WiserMessage m) {
        try {
            Message msg = new DefaultMessageBuilder().parseMessage(new ByteArrayInputStream(m.getData()));
            String subject = msg.getSubject() == null ? "" : msg.getSubject();
            String token = subject.startsWith(SUBJECT_PREFIX) ? subject.substring(SUBJECT_PREFIX.length()).trim() : "";
            Mailbox from = msg.getFrom() == null || msg.getFrom().isEmpty() ? null : msg.getFrom().get(0);
            Field auto = msg.getHeader().getField("Auto-Submitted");
            return new Received(m.getEnvelopeReceiver(), from == null ? "" : from.getAddress(), subject, token,
                    msg.getMessageId() == null ? "" : msg.getMessageId(),
                    Optional.ofNullable(msg.getDate()).map(d -> d.toInstant()),
                    Optional.ofNullable(auto).map(Field::getBody).map(String::trim));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
