package dev.acmesmime.enrolment;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Properties;
import java.util.function.UnaryOperator;

import dev.acmesmime.acme.AcmeCaClient;
import dev.acmesmime.acme.CaClient;
import dev.acmesmime.acme.CaProfiles;
import dev.acmesmime.store.AcmeSmimeStore;
import dev.acmesmime.store.Enrolment;
import dev.acmesmime.store.EnrolmentStep;
import dev.acmesmime.store.StoreSettings;
import dev.acmesmime.testca.client.RunningTestCa;
import dev.acmesmime.testing.RecordingMetrics;

/**
 * The engine as the James adapter will build it, on an H2 store in a temporary folder: a profile
 * {@value #PROFILE} for {@code example.org} at the running test CA (its PEM trust store written next to the
 * store), fast polling and back-off so the tests run in seconds.
 */
final class EngineFixture implements AutoCloseable {
    static final String PROFILE = "test";
    static final String PROFILE_PREFIX = CaProfiles.PREFIX + PROFILE + ".";

    final RunningTestCa ca;
    final Path home;
    final Properties settings = new Properties();
    final RecordingMetrics metrics = new RecordingMetrics();
    final AcmeSmimeStore store;

    EngineFixture(RunningTestCa ca, Path home) {
        this.ca = ca;
        this.home = home;
        try {
            Files.writeString(home.resolve("ca-trust.pem"), Files.readString(ca.ca().rootPem())
                    + Files.readString(ca.ca().tlsPem()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        settings.setProperty(PROFILE_PREFIX + CaProfiles.DIRECTORY, ca.ca().directory().toString());
        settings.setProperty(PROFILE_PREFIX + CaProfiles.DOMAINS, "example.org");
        settings.setProperty(PROFILE_PREFIX + CaProfiles.TRUST_STORE, "ca-trust.pem");
        settings.setProperty(PROFILE_PREFIX + CaProfiles.TERMS_OF_SERVICE_AGREED, "true");
        settings.setProperty(EnrolmentSettings.ENABLED, "true");
        settings.setProperty(EnrolmentSettings.POLL, "1");
        settings.setProperty(EnrolmentSettings.RETRY_INITIAL, "1");
        settings.setProperty(EnrolmentSettings.RETRY_MAX, "2");
        settings.setProperty(EnrolmentSettings.LEASE, "30");
        store = AcmeSmimeStore.builder(StoreSettings.fromProperties(new Properties(), home)).open();
    }

    EngineFixture with(String key, String value) {
        settings.setProperty(key, value);
        return this;
    }

    EnrolmentSettings settings() {
        return EnrolmentSettings.parse(settings, home);
    }

    /** A started enroller on the real acme4j client. */
    Enroller enroller() {
        return enroller(c -> c);
    }

    /** A started enroller whose clients are {@code wrap}ped (a CA without ARI, a crash). */
    Enroller enroller(UnaryOperator<CaClient> wrap) {
        EnrolmentSettings s = settings();
        StoreAccountKeys keys = new StoreAccountKeys(store.acmeAccounts());
        Enroller enroller = Enroller.create(s, store, new CaClients(s.profiles(),
                p -> wrap.apply(new AcmeCaClient(p, keys))), Clock.systemUTC(), metrics, "test-node");
        enroller.start();
        return enroller;
    }

    StandInResponder responder() {
        return new StandInResponder(ca, store.pendingChallenges(), store.enrolments());
    }

    /** A new user's first certificate: known to {@code enroller}, its challenge answered, issued. */
    Enrolment enrolled(Enroller enroller, String mailbox) {
        enroller.known(mailbox);
        responder().answer(mailbox, 0);
        return awaitStep(mailbox, EnrolmentStep.ISSUED);
    }

    Enrolment awaitStep(String mailbox, EnrolmentStep step) {
        return await(mailbox + " at " + step).atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(100))
                .until(() -> store.enrolments().find(mailbox).orElseThrow(), e -> e.step() == step);
    }

    /** Orders the test CA has received so far ({@code GET /stats} on its management port). */
    long ordersAtTheCa() {
        return ca.management().stats().path("orders").asLong();
    }

    @Override
    public void close() {
        store.close();
    }
}
