package dev.acmesmime.ca.forward;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import dev.acmesmime.rfc8823.Check;

/**
 * An authentic response mail correlated with its challenge: everything a forward contract may
 * send. Only responses that passed every check reach this type (issue 6: strangers must not be
 * able to change a challenge's state), so it carries no failure.
 *
 * @param id          unique id of this validation, sent as the idempotency key
 * @param receivedAt  when the mail was validated
 * @param identifier  the mailbox the challenge validates (RFC 8823 §3 step 1)
 * @param from        the validated From address, equal to the identifier; the ACME server needs it
 *                    for the CSR check of RFC 8823 §3 step 8
 * @param tokenPart1  token-part1 as sent in the challenge
 * @param digest      the response's digest, as received (the ACME server compares it)
 * @param challenge   the challenge answered
 * @param correlation which correlation keys agreed
 * @param dkim        the signature that made the mail authentic
 * @param checks      every check that ran, all passed
 * @param mail        the response mail and its SMTP facts
 */
public record ValidatedResponse(String id, Instant receivedAt, String identifier, String from, String tokenPart1,
                                String digest, Answered challenge, Set<CorrelationKey> correlation,
                                DkimEvidence dkim, List<Check> checks, Received mail) {

    /** The validation method recorded with every result (checklist B10). */
    public static final String METHOD = "SBR 3.2.2.4 v1.0.10";

    /**
     * The challenge a response answered.
     *
     * @param messageId the challenge's Message-ID
     * @param createdAt when the challenge was created (B7)
     * @param expiresAt when the challenge's validity ends (at most 24 h after creation, B7)
     */
    public record Answered(String messageId, Instant createdAt, Instant expiresAt) {
        public Answered {
            Objects.requireNonNull(messageId, "messageId");
            Objects.requireNonNull(createdAt, "createdAt");
            Objects.requireNonNull(expiresAt, "expiresAt");
        }
    }

    /**
     * The response mail as it came in.
     *
     * @param messageId     its Message-ID, if any
     * @param inReplyTo     its In-Reply-To, if any
     * @param envelopeFrom  the SMTP MAIL FROM, empty for the null sender
     * @param remoteAddress the SMTP peer's address
     * @param raw           the message as received
     */
    public record Received(Optional<String> messageId, Optional<String> inReplyTo, String envelopeFrom,
                           String remoteAddress, byte[] raw) {
        public Received {
            Objects.requireNonNull(messageId, "messageId");
            Objects.requireNonNull(inReplyTo, "inReplyTo");
            Objects.requireNonNull(envelopeFrom, "envelopeFrom");
            Objects.requireNonNull(remoteAddress, "remoteAddress");
            raw = raw.clone();
        }

        @Override
        public byte[] raw() {
            return raw.clone();
        }

        @Override
        public String toString() {
            return "Received[messageId=" + messageId + ", from SMTP peer " + remoteAddress + "]";
        }
    }

    public ValidatedResponse {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(receivedAt, "receivedAt");
        Objects.requireNonNull(identifier, "identifier");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(tokenPart1, "tokenPart1");
        Objects.requireNonNull(digest, "digest");
        Objects.requireNonNull(challenge, "challenge");
        correlation = Set.copyOf(correlation);
        Objects.requireNonNull(dkim, "dkim");
        checks = List.copyOf(checks);
        Objects.requireNonNull(mail, "mail");
        if (checks.stream().anyMatch(c -> !c.ok())) {
            throw new IllegalArgumentException("a validated response has no failed check");
        }
    }

    /** When the challenge's validity ends: no delivery after it (B7). */
    public Instant expiresAt() {
        return challenge.expiresAt();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ValidatedResponse v && v.id.equals(id);
    }

    @Override
    public int hashCode() {
        return id.hashCode();
    }

    @Override
    public String toString() {
        return "ValidatedResponse[id=" + id + ", identifier=" + identifier + ", challenge=" + challenge.messageId()
                + ", correlation=" + correlation + "]";
    }
}
