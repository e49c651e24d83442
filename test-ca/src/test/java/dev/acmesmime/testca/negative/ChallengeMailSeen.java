package dev.acmesmime.testca.negative;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.subethamail.wiser.WiserMessage;

/**
 * A challenge mail as the SMTP sink caught it: the facts a responder needs (RFC 8823 §3 step 3).
 *
 * @param recipient  the envelope recipient (the order's address)
 * @param tokenPart1 from the Subject {@code ACME: <token-part1>}
 * @param messageId  the Message-ID, with angle brackets
 * @param raw        the message as received
 */
public record ChallengeMailSeen(String recipient, String tokenPart1, String messageId, String raw) {
    private static final Pattern SUBJECT = Pattern.compile("(?im)^Subject:\\s*ACME:\\s*(\\S+)\\s*$");
    private static final Pattern MESSAGE_ID = Pattern.compile("(?im)^Message-ID:\\s*(<[^>]+>)\\s*$");

    /** The challenge mail in {@code m}, when it is one. */
    public static Optional<ChallengeMailSeen> of(WiserMessage m) {
        String raw = new String(m.getData(), StandardCharsets.ISO_8859_1);
        int end = raw.indexOf("\r\n\r\n");
        String header = (end < 0 ? raw : raw.substring(0, end)).replaceAll("\r\n[ \t]+", " ");
        Matcher subject = SUBJECT.matcher(header);
        Matcher id = MESSAGE_ID.matcher(header);
        if (!subject.find() || !id.find()) {
            return Optional.empty();
        }
        return Optional.of(new ChallengeMailSeen(m.getEnvelopeReceiver(), subject.group(1), id.group(1), raw));
    }
}
