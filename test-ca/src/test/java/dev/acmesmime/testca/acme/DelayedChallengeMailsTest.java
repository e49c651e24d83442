package dev.acmesmime.testca.acme;

import static org.assertj.core.api.Assertions.assertThat;

import dev.acmesmime.testca.TestCaSettings;
import dev.acmesmime.testca.mail.ChallengeMailer;
import dev.acmesmime.testing.FreePorts;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.subethamail.wiser.Wiser;

/**
 * {@link Challenges} with {@code fault.challengeMailDelay}, sending through a real {@link ChallengeMailer} to an
 * SMTP sink on the test CA's two mail threads: every mail arrives, none before it is due, and once due they go
 * out at the undelayed rate (the bound below is far under the ~100 s the 2 threads took when each mail also
 * slept its delay).
 */
class DelayedChallengeMailsTest {
    private static final int MAILS = 200;
    private static final Duration DELAY = Duration.ofSeconds(2);
    private static final Duration BOUND = Duration.ofSeconds(60);

    @TempDir
    Path dir;
    private final Map<String, Instant> arrivals = new ConcurrentHashMap<>();
    private Wiser sink;
    private ScheduledExecutorService mailThreads;

    @BeforeEach
    void start() throws Exception {
        sink = new Wiser(FreePorts.tcp()) {
            @Override
            public void deliver(String from, String recipient, InputStream data) {
                arrivals.put(recipient, Instant.now());
            }
        };
        sink.getServer().setBindAddress(InetAddress.getLoopbackAddress());
        sink.start();
        mailThreads = Executors.newScheduledThreadPool(2);
    }

    @AfterEach
    void stop() {
        mailThreads.shutdownNow();
        sink.stop();
    }

    @Test
    void delayedMailsAllArriveNoneBeforeItsTimeAndSoonAfter() throws Exception {
        TestCaSettings settings = settings();
        Clock clock = Clock.systemUTC();
        Challenges challenges = new Challenges(settings, clock, new SecureRandom(),
                new ChallengeMailer(settings, clock)::send, mailThreads);
        Account account = new Account("1", URI.create("https://ca.test/acct/1"), null, "thumbprint", List.of(),
                Account.Status.VALID, Optional.empty(), Optional.empty(), clock.instant());

        List<Authorization> created = new ArrayList<>();
        for (int i = 0; i < MAILS; i++) {
            created.add(challenges.create(account, "user-" + i + "@example.org"));
        }
        Instant deadline = Instant.now().plus(BOUND);
        while (arrivals.size() < MAILS && Instant.now().isBefore(deadline)) {
            Thread.sleep(100);
        }

        assertThat(arrivals).as("mails arrived within %s", BOUND).hasSize(MAILS);
        assertThat(challenges.mailsSent()).isEqualTo(MAILS);
        assertThat(created).allSatisfy(a -> assertThat(arrivals.get(a.identifier()))
                .as("%s's mail, due %s", a.identifier(), a.mailDue()).isAfterOrEqualTo(a.mailDue()));
        List<Instant> dues = created.stream().map(Authorization::mailDue).sorted().toList();
        assertThat(Duration.between(dues.get(0), dues.get(MAILS - 1))).as("the delays are spread over 0-2 s")
                .isGreaterThan(Duration.ofSeconds(1));
    }

    private TestCaSettings settings() {
        Properties p = new Properties();
        p.setProperty("dataDir", dir.toString());
        p.setProperty("smtp.host", "127.0.0.1");
        p.setProperty("smtp.port", Integer.toString(sink.getServer().getPort()));
        p.setProperty("challenge.from", "acme-challenge@ca.test");
        p.setProperty("fault.challengeMailDelay", DELAY.toSeconds() + "s");
        return TestCaSettings.parse(p, dir);
    }
}
