package dev.acmesmime.testca.mail;

import dev.acmesmime.dkim.DkimSigner;
import dev.acmesmime.rfc8823.Addresses;
import dev.acmesmime.rfc8823.ChallengeMail;
import dev.acmesmime.rfc8823.MessageKind;
import dev.acmesmime.testca.TestCaConfigurationException;
import dev.acmesmime.testca.TestCaSettings;
import dev.acmesmime.testca.TestCaSettings.DkimSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Composes a challenge mail with core ({@code dev.acmesmime.rfc8823.ChallengeMail}: Auto-Submitted
 * {@code auto-generated; type=acme}, Message-ID, Date, Subject {@code ACME: <token-part1>}), signs it
 * with DKIM when {@code smtp.dkim.*} is set, submits it over SMTP to {@code smtp.host:smtp.port}, and,
 * when {@code notify.webadminUrl} is set, tells the CA-role James the challenge facts
 * ({@code POST /acme-smime/challenges}).
 * <p>
 * Settings it uses: {@code challenge.from} is the mail's From and envelope sender, and where responses
 * go (no Reply-To); To and RCPT TO are the identifier only (C10). With {@code smtp.dkim.domain},
 * {@code smtp.dkim.selector} and {@code smtp.dkim.keyFile} (an RSA key of at least 2048 bits, PKCS#8 or
 * PKCS#1 PEM) the signature covers the D2 header list ({@code MessageKind.CHALLENGE}); its {@code d=}
 * is the From domain, so {@code smtp.dkim.domain} must be {@code challenge.from}'s domain (D4), which
 * is checked at start. Without them the relay must sign (a CA-role James's {@code AcmeChallengeSigner}).
 * {@code notify.webadminUrl} is for a relay that does not run that signer, so that James still
 * correlates the responses; the notice goes out before the mail, so a fast responder cannot race it.
 * It sends at once: {@code fault.challengeMailDelay} is the caller's ({@code acme.Challenges} schedules each
 * mail after its random delay), so that no sending thread sleeps.
 * <p>
 * The log names each mail's identifier, Message-ID and token-part1, never its whole text.
 */
public final class ChallengeMailer {
    private static final Logger LOG = LoggerFactory.getLogger(ChallengeMailer.class);

    private final String from;
    private final Clock clock;
    private final Optional<DkimSigner> signer;
    private final Optional<ChallengeNotice> notice;
    private final SmtpSubmission smtp;
    private final String relay;
    private final SecureRandom random = new SecureRandom();

    /** @throws TestCaConfigurationException when the DKIM key cannot be used */
    public ChallengeMailer(TestCaSettings settings, Clock clock) {
        this.from = settings.challengeFrom();
        this.clock = Objects.requireNonNull(clock, "clock");
        this.signer = settings.dkim().map(d -> signer(d, settings.challengeFrom(), clock));
        this.notice = settings.notifyWebadminUrl().map(ChallengeNotice::new);
        this.smtp = new SmtpSubmission(settings.smtpHost(), settings.smtpPort());
        this.relay = settings.smtpHost() + ":" + settings.smtpPort();
    }

    /**
     * Sends one challenge mail (blocking; call it off the request thread).
     *
     * @throws UncheckedIOException wrapping an {@link IOException} that names the failed step: an SMTP
     *                              command and the relay's reply, or the WebAdmin call and its answer
     */
    public SentChallenge send(String identifier, String tokenPart1, Instant expires) {
        try {
            ChallengeMail mail = ChallengeMail.builder().from(from).to(identifier).tokenPart1(tokenPart1)
                    .clock(clock).random(random).build();
            byte[] bytes = signer.map(s -> s.sign(mail.toByteArray(), MessageKind.CHALLENGE))
                    .orElseGet(mail::toByteArray);
            Instant createdAt = clock.instant();
            if (notice.isPresent()) {
                notice.get().register(mail.messageId(), tokenPart1, identifier, from, createdAt);
                LOG.info("challenge registered identifier={} messageId={} at={}", identifier, mail.messageId(),
                        notice.get().endpoint());
            }
            smtp.submit(from, identifier, bytes);
            LOG.info("challenge mail sent identifier={} messageId={} tokenPart1={} relay={} dkim={} expires={}",
                    identifier, mail.messageId(), tokenPart1, relay, signer.isPresent() ? "test-ca" : "relay",
                    expires);
            return new SentChallenge(mail.messageId(), createdAt);
        } catch (IOException e) {
            LOG.warn("challenge mail to {} failed: {}", identifier, e.getMessage());
            throw new UncheckedIOException(e);
        }
    }

    private static DkimSigner signer(DkimSettings dkim, String challengeFrom, Clock clock) {
        if (!Addresses.sameDomain(dkim.domain(), Addresses.domainOf(challengeFrom))) {
            throw new TestCaConfigurationException("smtp.dkim.domain: " + dkim.domain() + " is not the domain of "
                    + "challenge.from " + challengeFrom + "; the signature must align with From (D4)");
        }
        try {
            return DkimSigner.builder().privateKey(dkim.keyFile()).selector(dkim.selector()).clock(clock).build();
        } catch (IOException | IllegalArgumentException e) {
            throw new TestCaConfigurationException("smtp.dkim.keyFile: " + dkim.keyFile() + " cannot be used: "
                    + e.getMessage());
        }
    }
}
