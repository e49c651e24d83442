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
 * @param id                 unique id of this validation, sent as the idempotency key
 * @param receivedAt         when the mail was validated
 * @param identifier         the mailbox the challenge validates (RFC 8823 §3 step 1)
 * @param from               the validated From address, equal to the identifier; the ACME server
 *                           needs it for the CSR check of RFC 8823 §3 step 8
 * @param tokenPart1         token-part1 as sent in the challenge
 * @param digest             the response's digest, as received (the ACME server compares it)
 * @param responseMessageId  the response's Message-ID, if any
 * @param inReplyTo          the response's In-Reply-To, if any
 * @param challengeMessageId the challenge's Message-ID
 * @param challengeCreatedAt when the challenge was created (B7)
 * @param expiresAt          when the challenge's validity ends (at most 24 h after creation, B7)
 * @param correlation        which correlation keys agreed
 * @param dkim               the signature that made the mail authentic
 * @param checks             every check that ran, all passed
 * @param envelopeFrom       the SMTP MAIL FROM, empty for the null sender
 * @param remoteAddress      the SMTP peer's address
 * @param raw                the message as received
 */
public record ValidatedResponse(String id, Instant receivedAt, String identifier, String from, String tokenPart1,
                                String digest, Optional<String> responseMessageId, Optional<String> inReplyTo,
                                String challengeMessageId, Instant challengeCreatedAt, Instant expiresAt,
                                Set<CorrelationKey> correlation, DkimEvidence dkim, List<Check> checks,
                                String envelopeFrom, String remoteAddress, byte[] raw) {

    /** The validation method recorded with every result (checklist B10). */
    public static final String METHOD = "SBR 3.2.2.4 v1.0.10";

    public ValidatedResponse {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(receivedAt, "receivedAt");
        Objects.requireNonNull(identifier, "identifier");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(tokenPart1, "tokenPart1");
        Objects.requireNonNull(digest, "digest");
        Objects.requireNonNull(responseMessageId, "responseMessageId");
        Objects.requireNonNull(inReplyTo, "inReplyTo");
        Objects.requireNonNull(challengeMessageId, "challengeMessageId");
        Objects.requireNonNull(challengeCreatedAt, "challengeCreatedAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
        correlation = Set.copyOf(correlation);
        Objects.requireNonNull(dkim, "dkim");
        checks = List.copyOf(checks);
        Objects.requireNonNull(envelopeFrom, "envelopeFrom");
        Objects.requireNonNull(remoteAddress, "remoteAddress");
        raw = raw.clone();
        if (checks.stream().anyMatch(c -> !c.ok())) {
            throw new IllegalArgumentException("a validated response has no failed check");
        }
    }

    @Override
    public byte[] raw() {
        return raw.clone();
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
        return "ValidatedResponse[id=" + id + ", identifier=" + identifier + ", challenge=" + challengeMessageId
                + ", correlation=" + correlation + "]";
    }
}
