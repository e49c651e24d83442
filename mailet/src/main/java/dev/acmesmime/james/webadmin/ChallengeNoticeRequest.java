package dev.acmesmime.james.webadmin;

import dev.acmesmime.ca.ChallengeRecorder;

/**
 * The body of {@code POST /acme-smime/challenges}: the facts of a challenge the ACME server sent itself,
 * every field a JSON string or absent. {@link ChallengeRecorder} checks the values (C4, C10, B7);
 * {@link ChallengeNoticeExtractor} makes sure nothing else was sent.
 *
 * @param messageId       the challenge's Message-ID, with its angle brackets
 * @param tokenPart1      the token-part1 of its Subject (RFC 8823 §3 step 3)
 * @param recipient       the identifier it validates
 * @param responseAddress where responses arrive (its sub-address tag correlates them)
 * @param createdAt       when it was sent, an ISO-8601 instant; absent means now
 */
public record ChallengeNoticeRequest(String messageId, String tokenPart1, String recipient, String responseAddress,
                                     String createdAt) {

    ChallengeRecorder.Notice toNotice() {
        return new ChallengeRecorder.Notice(messageId, tokenPart1, recipient, responseAddress, createdAt);
    }
}
