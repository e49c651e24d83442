package dev.acmesmime.testca.mail;

import dev.acmesmime.testca.TestCaSettings;
import java.time.Clock;

/**
 * Composes a challenge mail with core ({@code dev.acmesmime.rfc8823.ChallengeMail}: Auto-Submitted
 * {@code auto-generated; type=acme}, Message-ID, Date, Subject {@code ACME: <token-part1>}), signs it
 * with DKIM when {@code smtp.dkim.*} is set, submits it over SMTP to {@code smtp.host:smtp.port}, and,
 * when {@code notify.webadminUrl} is set, tells the CA-role James the challenge facts
 * ({@code POST /acme-smime/challenges}).
 */
public final class ChallengeMailer {
    public ChallengeMailer(TestCaSettings settings, Clock clock) {
        throw new UnsupportedOperationException("not yet built");
    }

    /** Sends one challenge mail (blocking; call it off the request thread). */
    public SentChallenge send(String identifier, String tokenPart1, java.time.Instant expires) {
        throw new UnsupportedOperationException("not yet built");
    }
}
