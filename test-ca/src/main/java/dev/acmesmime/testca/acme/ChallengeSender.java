package dev.acmesmime.testca.acme;

import dev.acmesmime.testca.mail.SentChallenge;
import java.time.Instant;

/**
 * Sends one challenge mail (RFC 8823 §3 step 3); {@code mail.ChallengeMailer} in the running test CA, a
 * recorder in tests that need no SMTP relay.
 */
@FunctionalInterface
public interface ChallengeSender {
    SentChallenge send(String identifier, String tokenPart1, Instant expires);
}
