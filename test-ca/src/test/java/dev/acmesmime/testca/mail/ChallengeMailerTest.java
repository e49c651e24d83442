package dev.acmesmime.testca.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.acmesmime.dkim.DkimKeyResolver;
import dev.acmesmime.dkim.DkimPolicyVerifier;
import dev.acmesmime.rfc8823.AcmeMailInspector;
import dev.acmesmime.rfc8823.FailureCode;
import dev.acmesmime.rfc8823.MessageKind;
import dev.acmesmime.rfc8823.Verdict;
import dev.acmesmime.testca.TestCaConfigurationException;
import dev.acmesmime.testca.TestCaSettings;
import dev.acmesmime.testing.DkimDns;
import dev.acmesmime.testing.FreePorts;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.subethamail.wiser.Wiser;
import org.subethamail.wiser.WiserMessage;

/** {@link ChallengeMailer} against a real SMTP sink, a real dnsmasq for DKIM keys, and core's inspector. */
@Timeout(120) // hang guard only
class ChallengeMailerTest {
    /** The test CA's DKIM key, published by a real dnsmasq under {@code tca._domainkey.ca.test}. */
    @RegisterExtension
    static final DkimDns DNS = DkimDns.keys(k -> k.rsa("ca", 2048)).publish("tca", "ca.test", "ca");
    private static final String FROM = "acme-challenge@ca.test";
    private static final String TO = "alice@example.org";

    @TempDir
    Path dir;
    private Wiser sink;
    private final String tokenPart1 = ChallengeTokens.tokenPart1(new SecureRandom(), false);

    @BeforeEach
    void startSink() throws Exception {
        sink = new Wiser(FreePorts.tcp());
        sink.getServer().setBindAddress(InetAddress.getLoopbackAddress());
        sink.start();
    }

    @AfterEach
    void stopSink() {
        sink.stop();
    }

    Properties settings() {
        Properties p = new Properties();
        p.setProperty("dataDir", dir.toString());
        p.setProperty("smtp.host", "127.0.0.1");
        p.setProperty("smtp.port", Integer.toString(sink.getServer().getPort()));
        p.setProperty("challenge.from", FROM);
        return p;
    }

    Properties dkimSettings() {
        Properties p = settings();
        p.setProperty("smtp.dkim.domain", "ca.test");
        p.setProperty("smtp.dkim.selector", "tca");
        p.setProperty("smtp.dkim.keyFile", DNS.key("ca").pkcs8().toString());
        return p;
    }

    ChallengeMailer mailer(Properties p) {
        return new ChallengeMailer(TestCaSettings.parse(p, dir), Clock.systemUTC());
    }

    WiserMessage onlyMessage() {
        assertThat(sink.getMessages()).hasSize(1);
        return sink.getMessages().get(0);
    }

    @Test
    void theRelayReceivesAChallengeThatOnlyLacksASignature() {
        SentChallenge sent = mailer(settings()).send(TO, tokenPart1, Instant.now().plus(Duration.ofHours(24)));

        WiserMessage m = onlyMessage();
        assertThat(m.getEnvelopeSender()).isEqualTo(FROM);
        assertThat(m.getEnvelopeReceiver()).isEqualTo(TO);
        String text = new String(m.getData(), StandardCharsets.US_ASCII);
        assertThat(text).contains("Auto-Submitted: auto-generated; type=acme", "Message-ID: " + sent.messageId(),
                "\r\nDate: ").doesNotContain("DKIM-Signature");
        Verdict v = AcmeMailInspector.builder().build().inspect(m.getData());
        assertThat(v.kind()).isEqualTo(MessageKind.CHALLENGE);
        assertThat(v.values().tokenPart1Value()).contains(tokenPart1);
        assertThat(v.values().fromValue()).contains(FROM);
        assertThat(v.failureCodes()).containsOnly(FailureCode.DKIM_NONE);
    }

    @Test
    void withSmtpDkimTheChallengeIsValidForTheInspector() {
        mailer(dkimSettings()).send(TO, tokenPart1, Instant.now().plus(Duration.ofHours(24)));

        DkimPolicyVerifier dkim = DkimPolicyVerifier.builder()
                .keyResolver(DkimKeyResolver.builder().server(DNS.server()).build()).build();
        Verdict v = AcmeMailInspector.builder().authenticity(dkim).build().inspect(onlyMessage().getData());
        assertThat(v.kind()).isEqualTo(MessageKind.CHALLENGE);
        assertThat(v.valid()).as(v.checks().toString()).isTrue();
    }

    @Test
    void aDkimDomainOtherThanTheFromDomainIsRefusedAtStart() {
        Properties p = dkimSettings();
        p.setProperty("smtp.dkim.domain", "other.test");
        assertThatThrownBy(() -> mailer(p)).isInstanceOf(TestCaConfigurationException.class)
                .hasMessageContaining("smtp.dkim.domain");
    }

    @Test
    void aRefusedRecipientNamesTheSmtpStepAndTheReply() throws Exception {
        sink.stop();
        sink = new Wiser(FreePorts.tcp()) {
            @Override
            public boolean accept(String from, String recipient) {
                return false;
            }
        };
        sink.getServer().setBindAddress(InetAddress.getLoopbackAddress());
        sink.start();
        ChallengeMailer mailer = mailer(settings());
        assertThatThrownBy(() -> mailer.send(TO, tokenPart1, Instant.now().plus(Duration.ofHours(1))))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("RCPT TO:<" + TO + ">").hasMessageContaining("553");
        assertThat(sink.getMessages()).isEmpty();
    }

    @Test
    void noRelayListeningIsAnIOException() throws Exception {
        Properties p = settings();
        p.setProperty("smtp.port", Integer.toString(FreePorts.tcp()));
        ChallengeMailer mailer = mailer(p);
        assertThatThrownBy(() -> mailer.send(TO, tokenPart1, Instant.now().plus(Duration.ofHours(1))))
                .isInstanceOf(UncheckedIOException.class).hasMessageContaining("cannot connect to SMTP relay");
    }
}
