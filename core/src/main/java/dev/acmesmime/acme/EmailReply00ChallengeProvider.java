package dev.acmesmime.acme;

import org.shredzone.acme4j.Login;
import org.shredzone.acme4j.challenge.Challenge;
import org.shredzone.acme4j.provider.ChallengeProvider;
import org.shredzone.acme4j.provider.ChallengeType;
import org.shredzone.acme4j.toolbox.JSON;

/**
 * Makes acme4j-client build an {@link EmailReply00Challenge} for every {@value EmailReply00Challenge#TYPE}
 * challenge object; listed in {@code META-INF/services/org.shredzone.acme4j.provider.ChallengeProvider}.
 */
@ChallengeType(EmailReply00Challenge.TYPE)
public class EmailReply00ChallengeProvider implements ChallengeProvider {
    @Override
    public Challenge create(Login login, JSON data) {
        return new EmailReply00Challenge(login, data);
    }
}
