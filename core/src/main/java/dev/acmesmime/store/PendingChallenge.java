package dev.acmesmime.store;

import java.net.URI;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A challenge the enrolment service expects to arrive by mail (RFC 8823 section 3): the ACME
 * server has announced an {@code email-reply-00} challenge for {@code mailbox}, and the challenge
 * mail from {@code challengeFrom} is to be answered with the key authorization built from
 * token-part1 (in the mail) and {@code tokenPart2} (from the ACME server) with the account key
 * whose thumbprint is {@code accountThumbprint}.
 *
 * @param challengeUrl       the ACME challenge URL; identifies the challenge
 * @param mailbox            the address being validated, as the enrolment registered it
 * @param challengeFrom      the {@code from} of the challenge object: the address the challenge mail comes from
 * @param tokenPart2         token-part2 from the challenge object (base64url); stored encrypted,
 *                           never shown by {@link #toString()}
 * @param accountThumbprint  the ACME account key's JWK thumbprint (RFC 7638, base64url)
 * @param createdAt          when it was registered
 * @param expiresAt          when it stops being answerable
 * @param status             pending, answered or expired
 * @param answeredAt         when it was answered (status {@link ChallengeStatus#ANSWERED})
 * @param responseMessageId  the Message-ID of the response sent (status {@link ChallengeStatus#ANSWERED})
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8823#section-3">RFC 8823, section 3</a>
 */
public record PendingChallenge(URI challengeUrl, String mailbox, String challengeFrom, String tokenPart2,
                               String accountThumbprint, Instant createdAt, Instant expiresAt, ChallengeStatus status,
                               Optional<Instant> answeredAt, Optional<String> responseMessageId) {

    public PendingChallenge {
        Objects.requireNonNull(challengeUrl, "challengeUrl");
        Objects.requireNonNull(mailbox, "mailbox");
        Objects.requireNonNull(challengeFrom, "challengeFrom");
        Objects.requireNonNull(tokenPart2, "tokenPart2");
        Objects.requireNonNull(accountThumbprint, "accountThumbprint");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(answeredAt, "answeredAt");
        Objects.requireNonNull(responseMessageId, "responseMessageId");
    }

    @Override
    public String toString() {
        return "PendingChallenge[challengeUrl=" + challengeUrl + ", mailbox=" + mailbox + ", challengeFrom="
                + challengeFrom + ", tokenPart2=redacted, accountThumbprint=" + accountThumbprint + ", createdAt="
                + createdAt + ", expiresAt=" + expiresAt + ", status=" + status + ", answeredAt="
                + answeredAt.orElse(null) + ", responseMessageId=" + responseMessageId.orElse(null) + "]";
    }

    /**
     * What the enrolment registers when the ACME server hands it a challenge.
     *
     * @param challengeUrl       the ACME challenge URL (at most 2048 characters)
     * @param mailbox            the address being validated
     * @param challengeFrom      the challenge object's {@code from}
     * @param tokenPart2         the challenge object's {@code token}
     * @param accountThumbprint  the account key thumbprint
     * @param expiresAt          when the challenge (or its authorization) expires
     */
    public record Registration(URI challengeUrl, String mailbox, String challengeFrom, String tokenPart2,
                               String accountThumbprint, Instant expiresAt) {
        public Registration {
            Objects.requireNonNull(challengeUrl, "challengeUrl");
            Objects.requireNonNull(mailbox, "mailbox");
            Objects.requireNonNull(challengeFrom, "challengeFrom");
            Objects.requireNonNull(tokenPart2, "tokenPart2");
            Objects.requireNonNull(accountThumbprint, "accountThumbprint");
            Objects.requireNonNull(expiresAt, "expiresAt");
            if (challengeUrl.toString().length() > 2048) {
                throw new IllegalArgumentException("challengeUrl longer than 2048 characters");
            }
        }

        @Override
        public String toString() {
            return "Registration[challengeUrl=" + challengeUrl + ", mailbox=" + mailbox + ", challengeFrom="
                    + challengeFrom + ", tokenPart2=redacted, accountThumbprint=" + accountThumbprint
                    + ", expiresAt=" + expiresAt + "]";
        }
    }
}
