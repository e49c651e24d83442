package dev.acmesmime.testca.mail;

import java.time.Instant;

/** A challenge mail the relay accepted. */
public record SentChallenge(String messageId, Instant sentAt) {
}
