package dev.acmesmime.organisation;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.acmesmime.store.AcmeSmimeStore;
import dev.acmesmime.store.PendingChallenge;
import dev.acmesmime.store.StoreSettings;
import dev.acmesmime.testing.MutableClock;

/** {@link ExpectedChallenge} on an H2 store: only a challenge-looking mail for a waiting mailbox, from its CA. */
class ExpectedChallengeTest {
    static final String SUBJECT = "ACME: LgYemJLy3F1LDkiJrdIGbEzyFJyOyf6vBdyZ1TG3sME";

    @TempDir
    Path home;
    MutableClock clock;
    AcmeSmimeStore store;
    ExpectedChallenge testee;

    @BeforeEach
    void open() {
        clock = new MutableClock(Instant.now());
        store = AcmeSmimeStore.builder(StoreSettings.fromProperties(new Properties(), home)).clock(clock).open();
        store.pendingChallenges().register(new PendingChallenge.Registration(URI.create("https://ca.test/chall/1"),
                "alice@org.test", "acme@ca.test", "DGyRejmCefe7v4NfDGDKfA",
                "LPJNul-wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ", clock.instant().plus(Duration.ofHours(1))));
        testee = new ExpectedChallenge(store.pendingChallenges());
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void aChallengeFromTheRegisteredSenderToTheWaitingMailboxIsExpected() {
        assertThat(testee.expected(SUBJECT, "auto-generated", "acme@CA.test", List.of("bob@org.test", "alice@ORG.test")))
                .isTrue();
    }

    @Test
    void anotherSenderAnotherMailboxOrNoChallengeSubjectIsNot() {
        assertThat(testee.expected(SUBJECT, "auto-generated", "mallory@evil.test", List.of("alice@org.test"))).isFalse();
        assertThat(testee.expected(SUBJECT, "auto-generated", "acme@ca.test", List.of("bob@org.test"))).isFalse();
        assertThat(testee.expected("Lunch?", null, "acme@ca.test", List.of("alice@org.test"))).isFalse();
        assertThat(testee.expected(SUBJECT, "auto-generated", null, List.of("alice@org.test"))).isFalse();
    }

    @Test
    void anExpiredChallengeIsNoLongerExpected() {
        clock.advance(Duration.ofHours(2));
        assertThat(testee.expected(SUBJECT, "auto-generated", "acme@ca.test", List.of("alice@org.test"))).isFalse();
    }

    @Test
    void onlyTheFirstRecipientsAreLookedUp() {
        List<String> many = new ArrayList<>();
        for (int i = 0; i < ExpectedChallenge.RECIPIENTS_CHECKED; i++) {
            many.add("u" + i + "@org.test");
        }
        many.add("alice@org.test");
        assertThat(testee.expected(SUBJECT, "auto-generated", "acme@ca.test", many)).isFalse();
    }
}
