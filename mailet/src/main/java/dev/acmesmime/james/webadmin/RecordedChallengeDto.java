package dev.acmesmime.james.webadmin;

import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.acmesmime.ca.ChallengeRecorder;
import dev.acmesmime.store.IssuedChallenge;

/**
 * The answer of {@code POST /acme-smime/challenges}: how the registration ended and the facts recorded
 * (for {@code already-registered}, the ones recorded before).
 *
 * @param outcome   {@code registered} or {@code already-registered} ({@link ChallengeRecorder.Outcome#code()})
 * @param recipient the identifier the challenge validates
 * @param tag       the sub-address tag of {@code responseAddress}, if it has one
 * @param expiresAt at most 24 hours after {@code createdAt} (S/MIME BR 3.2.2.4)
 */
@JsonInclude(JsonInclude.Include.NON_ABSENT)
public record RecordedChallengeDto(String outcome, String messageId, String tokenPart1, String recipient,
                                   String responseAddress, Optional<String> tag, String createdAt,
                                   String expiresAt) {

    public static RecordedChallengeDto from(ChallengeRecorder.Outcome outcome, IssuedChallenge c) {
        return new RecordedChallengeDto(outcome.code(), c.messageId(), c.tokenPart1(), c.identifier(),
                c.responseAddress(), c.tag(), c.createdAt().toString(), c.expiresAt().toString());
    }
}
