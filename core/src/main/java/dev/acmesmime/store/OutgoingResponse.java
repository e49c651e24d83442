package dev.acmesmime.store;

import java.net.URI;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One response of the organisation role in the {@link ResponseOutboxStore}: the composed,
 * DKIM-signed mail and its SMTP envelope ({@link Content}), kept from the claim of the challenge
 * until James's spool took it, and how its hand-over stands.
 *
 * @param content       the response and its envelope, as the responder enqueued them
 * @param state         {@link OutboxState#PENDING} while the challenge is {@code answering},
 *                      {@link OutboxState#DONE} once handed to the spool, {@link OutboxState#FAILED}
 *                      when the challenge expired first
 * @param attempts      hand-overs tried so far
 * @param createdAt     when the challenge was claimed
 * @param nextAttemptAt when it is due again
 * @param lastError     what the last failed attempt said
 * @param finishedAt    when it was sent or given up
 */
public record OutgoingResponse(Content content, OutboxState state, int attempts, Instant createdAt,
                               Instant nextAttemptAt, Optional<String> lastError, Optional<Instant> finishedAt) {

    public OutgoingResponse {
        Objects.requireNonNull(content, "content");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(nextAttemptAt, "nextAttemptAt");
        Objects.requireNonNull(lastError, "lastError");
        Objects.requireNonNull(finishedAt, "finishedAt");
    }

    public URI challengeUrl() {
        return content.challengeUrl();
    }

    public String mailbox() {
        return content.mailbox();
    }

    public String responseMessageId() {
        return content.responseMessageId();
    }

    public Instant expiresAt() {
        return content.expiresAt();
    }

    /**
     * A response as the responder enqueues it when it claims a challenge ({@link ResponseOutboxStore#enqueue}).
     *
     * @param challengeUrl      the registered challenge it answers (the row's key: one response per challenge)
     * @param mailbox           the mailbox answering
     * @param envelopeSender    MAIL FROM (the mailbox)
     * @param recipient         RCPT TO (the challenge's Reply-To, else From; R4)
     * @param responseMessageId the response's Message-ID
     * @param message           the signed response, as sent
     * @param expiresAt         the registered challenge's expiry: no attempt after it
     */
    public record Content(URI challengeUrl, String mailbox, String envelopeSender, String recipient,
                          String responseMessageId, byte[] message, Instant expiresAt) {
        public Content {
            Objects.requireNonNull(challengeUrl, "challengeUrl");
            Objects.requireNonNull(mailbox, "mailbox");
            Objects.requireNonNull(envelopeSender, "envelopeSender");
            Objects.requireNonNull(recipient, "recipient");
            Objects.requireNonNull(responseMessageId, "responseMessageId");
            Objects.requireNonNull(message, "message");
            Objects.requireNonNull(expiresAt, "expiresAt");
        }

        @Override
        public String toString() {
            return "Content[challengeUrl=" + challengeUrl + ", mailbox=" + mailbox + ", recipient=" + recipient
                    + ", responseMessageId=" + responseMessageId + ", " + message.length + " bytes, expiresAt="
                    + expiresAt + "]";
        }
    }
}
