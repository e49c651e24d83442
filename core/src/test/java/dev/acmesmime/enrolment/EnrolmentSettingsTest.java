package dev.acmesmime.enrolment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The enrolment block of acme-smime.properties: defaults, scope, and errors naming the key. */
class EnrolmentSettingsTest {
    @TempDir
    Path dir;

    private final Properties p = new Properties();

    EnrolmentSettingsTest() {
        p.setProperty("enrolment.profile.main.directory", "https://ca.test/dir");
        p.setProperty("enrolment.profile.main.domains", "org.test,*.org.test");
        p.setProperty("enrolment.profile.other.directory", "https://other.test/dir");
        p.setProperty("enrolment.profile.other.domains", "other.test");
    }

    @Test
    void defaults() {
        EnrolmentSettings s = EnrolmentSettings.parse(p, dir);
        assertThat(s.enabled()).isFalse();
        assertThat(s.concurrency()).isEqualTo(4);
        assertThat(s.ordersPerMinute()).isEqualTo(60);
        assertThat(s.renewalJitter()).isEqualTo(0.1);
        assertThat(s.retryInitial()).isEqualTo(Duration.ofSeconds(60));
        assertThat(s.retryMax()).isEqualTo(Duration.ofHours(1));
        assertThat(s.poll()).isEqualTo(Duration.ofSeconds(5));
        assertThat(s.lease()).isEqualTo(Duration.ofMinutes(5));
        assertThat(s.revokeOnDelete()).isFalse();
        assertThat(s.userScan()).isEqualTo(Duration.ofMinutes(1));
        assertThat(s.profiles().all()).hasSize(2);
    }

    @Test
    void scopeIsAProfilesDomainThenTheDomainListThenIncludeThenExclude() {
        p.setProperty("enrolment.domains", "org.test, *.org.test");
        p.setProperty("enrolment.include", "*@org.test,*@eu.org.test");
        p.setProperty("enrolment.exclude", "noreply*@*");
        EnrolmentSettings s = EnrolmentSettings.parse(p, dir);
        assertThat(s.inScope("alice@org.test")).isTrue();
        assertThat(s.inScope("Bob@EU.org.test")).isTrue();
        assertThat(s.inScope("carol@us.org.test")).as("not included").isFalse();
        assertThat(s.inScope("noreply-billing@org.test")).as("excluded").isFalse();
        assertThat(s.inScope("dave@other.test")).as("a profile covers it, the domain list does not").isFalse();
        assertThat(s.inScope("erin@nowhere.test")).as("no profile").isFalse();
        assertThat(s.inScope("not-a-mailbox")).isFalse();
    }

    @Test
    void everyProfilesDomainIsInScopeWithoutADomainList() {
        EnrolmentSettings s = EnrolmentSettings.parse(p, dir);
        assertThat(s.inScope("dave@other.test")).isTrue();
        assertThat(s.inScope("alice@org.test")).isTrue();
    }

    @Test
    void badValuesNameTheirKey() {
        assertError("enrolment.concurrency", "0", "enrolment.concurrency: must be between 1 and 256");
        assertError("enrolment.ordersPerMinute", "many", "enrolment.ordersPerMinute: must be a whole number");
        assertError("enrolment.renewal.jitter", "0.9", "enrolment.renewal.jitter: must be between 0 and 0.5");
        assertError("enrolment.enabled", "yes", "enrolment.enabled: must be true or false");
        assertError("enrolment.leaseSeconds", "5", "enrolment.leaseSeconds: must be between 30 and 86400");
        assertError("enrolment.domains", "a@b", "enrolment.domains: 'a@b' is neither a domain nor *.domain");
        assertError("enrolment.pollSecond", "5", "enrolment.pollSecond: unknown setting");
    }

    @Test
    void theLongestBackOffIsNotShorterThanTheFirst() {
        p.setProperty("enrolment.retry.initialSeconds", "120");
        assertError("enrolment.retry.maxSeconds", "60", "enrolment.retry.maxSeconds: must be between 120 and");
    }

    private void assertError(String key, String value, String message) {
        Properties bad = new Properties();
        bad.putAll(p);
        bad.setProperty(key, value);
        assertThatThrownBy(() -> EnrolmentSettings.parse(bad, dir)).isInstanceOf(EnrolmentSettingsException.class)
                .hasMessageStartingWith(message);
    }
}
