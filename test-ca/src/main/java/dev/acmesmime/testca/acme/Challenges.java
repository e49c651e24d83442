package dev.acmesmime.testca.acme;

import dev.acmesmime.testca.TestCaSettings;
import dev.acmesmime.testca.mail.ChallengeTokens;
import dev.acmesmime.testca.mail.EmailReplyValidation;
import dev.acmesmime.testca.mail.SentChallenge;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the authorizations of new orders, each with a NEW {@code email-reply-00} challenge (RFC 8823 §3):
 * fresh token parts ({@code mail.ChallengeTokens}; odd length with {@code fault.oddTokenLength}), a validation
 * bound to the account key's thumbprint that expires after {@code challenge.lifetime}, and the challenge mail
 * sent in the background after a random delay up to {@code fault.challengeMailDelay}. A mail that cannot be
 * sent is logged; the challenge stays pending (a client sees it expire, as with a lost mail).
 * <p>
 * The delay is the scheduler's alone: a mail waits in the queue of the (few) mail threads, none of which
 * sleeps, so delayed mails go out as fast as undelayed ones once due. (The sender once slept a second random
 * delay on a mail thread: with a 5 s delay, 2 threads sent some 40 mails a minute instead of 500.)
 * <p>
 * Results from the CA-role James find their validation here by token-part1.
 */
public final class Challenges {
    private static final Logger LOG = LoggerFactory.getLogger(Challenges.class);

    private final TestCaSettings settings;
    private final Clock clock;
    private final SecureRandom random;
    private final ChallengeSender sender;
    private final ScheduledExecutorService mailer;
    private final AtomicLong ids = new AtomicLong();
    private final AtomicInteger mailsSent = new AtomicInteger();
    private final Map<String, Authorization> byId = new ConcurrentHashMap<>();
    private final Map<String, Authorization> byTokenPart1 = new ConcurrentHashMap<>();

    public Challenges(TestCaSettings settings, Clock clock, SecureRandom random, ChallengeSender sender,
                      ScheduledExecutorService mailer) {
        this.settings = settings;
        this.clock = clock;
        this.random = random;
        this.sender = sender;
        this.mailer = mailer;
    }

    /** A new authorization and challenge for one identifier of one account's order; its mail goes out later. */
    public Authorization create(Account account, String identifier) {
        String id = Long.toString(ids.incrementAndGet());
        String part1 = ChallengeTokens.tokenPart1(random, settings.faults().oddTokenLength());
        String part2 = ChallengeTokens.tokenPart2(random);
        Instant now = clock.instant();
        Instant expires = now.plus(settings.challengeLifetime());
        Duration delay = randomDelay(settings.faults().challengeMailDelay());
        EmailReplyValidation validation = new EmailReplyValidation(identifier, part1, part2, account.thumbprint(),
                expires, settings.faults().validationDelay(), settings.faults().responseOnlyAfterPost(), clock);
        Authorization authz = new Authorization(id, account.id(), identifier, validation, expires, now.plus(delay));
        byId.put(id, authz);
        byTokenPart1.put(part1, authz);
        LOG.info("newAuthz account={} authz={} identifier={} token-part1={}", account.id(), id, identifier, part1);
        mailer.schedule(() -> send(authz, expires), delay.toMillis(), TimeUnit.MILLISECONDS);
        return authz;
    }

    private void send(Authorization authz, Instant expires) {
        try {
            SentChallenge sent = sender.send(authz.identifier(), authz.validation().tokenPart1(), expires);
            mailsSent.incrementAndGet();
            LOG.info("challengeMail authz={} to={} message-id={}", authz.id(), authz.identifier(), sent.messageId());
        } catch (RuntimeException e) {
            LOG.warn("challengeMail authz={} to={} not sent, the challenge stays pending: {}", authz.id(),
                    authz.identifier(), e.toString());
        }
    }

    private static Duration randomDelay(Duration max) {
        return max.isZero() ? Duration.ZERO : Duration.ofMillis(ThreadLocalRandom.current().nextLong(max.toMillis() + 1));
    }

    public Optional<Authorization> byId(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    /** The validation a result names by its token-part1 (mail slice's ResultReceiver). */
    public Optional<EmailReplyValidation> byTokenPart1(String tokenPart1) {
        return Optional.ofNullable(byTokenPart1.get(tokenPart1)).map(Authorization::validation);
    }

    public int mailsSent() {
        return mailsSent.get();
    }
}
