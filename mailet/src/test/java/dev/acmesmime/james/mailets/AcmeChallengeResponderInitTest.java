package dev.acmesmime.james.mailets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

import javax.mail.MessagingException;

import org.apache.mailet.base.test.FakeMailContext;
import org.apache.mailet.base.test.FakeMailetConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.acmesmime.james.runtime.AcmeSmimeRuntime;
import dev.acmesmime.testing.TestKeys;

/** Every invalid parameter stops start-up with a message naming it (James style: init() parses everything). */
class AcmeChallengeResponderInitTest {

    @TempDir
    static Path keys;

    @TempDir
    Path home;
    AcmeSmimeRuntime runtime;
    AcmeChallengeResponder testee;

    @BeforeAll
    static void key() throws Exception {
        TestKeys k = TestKeys.generate(2048, keys, "org");
        Files.copy(k.pkcs8(), keys.resolve("org._domainkey.org.test.pem"));
    }

    @BeforeEach
    void setUp() {
        runtime = new AcmeSmimeRuntime(home, Clock.systemUTC());
        testee = new AcmeChallengeResponder(runtime, null);
    }

    @AfterEach
    void tearDown() {
        runtime.close();
    }

    FakeMailetConfig.Builder config() {
        return FakeMailetConfig.builder().mailetName("responder").mailetContext(FakeMailContext.defaultContext())
                .setProperty(AcmeChallengeResponder.DKIM_KEY_DIRECTORY, keys.toString())
                .setProperty(AcmeChallengeResponder.SMIME_TRUST_ANCHORS, "none");
    }

    @Test
    void shouldStartWithTheKeyDirectoryOnlyAndOpenTheStore() throws Exception {
        assertThatCode(() -> testee.init(FakeMailetConfig.builder().mailetName("responder")
                .setProperty(AcmeChallengeResponder.DKIM_KEY_DIRECTORY, keys.toString()).build()))
                .doesNotThrowAnyException();
        assertThat(home.resolve("var/acme-smime/store.mv.db")).exists();
    }

    @Test
    void shouldAcceptEveryParameterWithAValidValue() {
        assertThatCode(() -> testee.init(config()
                .setProperty(AcmeChallengeResponder.DNS_SERVER, "127.0.0.1:5353")
                .setProperty(AcmeChallengeResponder.ON_ANSWERED, "deliver")
                .setProperty(AcmeChallengeResponder.ON_REJECTED, "deliver")
                .setProperty(AcmeChallengeResponder.LENIENCY, "missing-auto-submitted, subject-label-case")
                .setProperty(AcmeChallengeResponder.RATE_LIMIT_PER_MAILBOX, "0")
                .setProperty(AcmeChallengeResponder.RATE_LIMIT_PER_SENDER_DOMAIN, "1000")
                .build())).doesNotThrowAnyException();
    }

    @Test
    void shouldRequireTheKeyDirectory() {
        assertThatThrownBy(() -> testee.init(FakeMailetConfig.builder().mailetName("responder").build()))
                .isInstanceOf(MessagingException.class).hasMessageContaining("'dkimKeyDirectory' is a mandatory");
    }

    @Test
    void shouldRejectAMissingKeyDirectory() {
        assertThatThrownBy(() -> testee.init(config().setProperty(AcmeChallengeResponder.DKIM_KEY_DIRECTORY, "absent").build()))
                .isInstanceOf(MessagingException.class).hasMessageStartingWith("'dkimKeyDirectory'");
    }

    @Test
    void shouldRejectAKeyDirectoryWithoutKeys() throws Exception {
        Path empty = Files.createDirectory(home.resolve("empty"));
        assertThatThrownBy(() -> testee.init(config().setProperty(AcmeChallengeResponder.DKIM_KEY_DIRECTORY, empty.toString()).build()))
                .isInstanceOf(MessagingException.class).hasMessageContaining("'dkimKeyDirectory'").hasMessageContaining("no key file");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "dnsServer|127.0.0.1:notaport|'dnsServer'",
            "onAnswered|keep|'onAnswered'",
            "onRejected|bounce|'onRejected'",
            "smimeTrustAnchors|absent.pem|'smimeTrustAnchors'",
            "leniency|be-nice|'leniency'",
            "rateLimitPerMailbox|-1|'rateLimitPerMailbox'",
            "rateLimitPerMailbox|many|'rateLimitPerMailbox'",
            "rateLimitPerSenderDomain|-1|'rateLimitPerSenderDomain'",
            "registrationRetries|-1|'registrationRetries'",
            "registrationDelaySeconds|0|'registrationDelaySeconds'",
            "unknownParameter|x|unknownParameter"})
    void shouldNameTheInvalidParameter(String name, String value, String expected) {
        assertThatThrownBy(() -> testee.init(config().setProperty(name, value).build()))
                .isInstanceOf(MessagingException.class).hasMessageContaining(expected);
    }

    @Test
    void shouldNameTheStoreSettingWhenTheStoreCannotOpen() throws Exception {
        Files.createDirectories(home.resolve("conf"));
        Files.writeString(home.resolve(AcmeSmimeRuntime.SETTINGS_FILE), "store.pool.size=0\n");
        runtime = new AcmeSmimeRuntime(home, Clock.systemUTC());
        testee = new AcmeChallengeResponder(runtime, null);

        assertThatThrownBy(() -> testee.init(config().build()))
                .isInstanceOf(MessagingException.class).hasMessageContaining("store.pool.size");
    }
}
