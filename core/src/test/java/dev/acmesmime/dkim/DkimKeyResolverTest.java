package dev.acmesmime.dkim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import org.apache.james.jdkim.exceptions.PermFailException;
import org.apache.james.jdkim.exceptions.TempFailException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.acmesmime.dkim.DkimKeyResolver.Lookup;
import dev.acmesmime.testing.DkimDns;
import dev.acmesmime.testing.Dnsmasq;
import dev.acmesmime.testing.FreePorts;
import dev.acmesmime.testing.TestKeys;

/** Unit tests for {@link DkimKeyResolver} against a real dnsmasq on a non-standard port. */
@Timeout(120) // hang guard only
class DkimKeyResolverTest {

    @RegisterExtension
    static final DkimDns DNS = DkimDns.keys(k -> k.rsa("resolver", 2048)).publish("sel", "example.test", "resolver");
    static TestKeys keys;

    @BeforeAll
    static void keys() {
        keys = DNS.key("resolver");
    }

    static DkimKeyResolver resolver(String server) {
        return DkimKeyResolver.builder().server(server).build();
    }

    @Test
    void d16_queriesANonStandardPortAndJoinsTheStringsOfALongRecord() {
        assertThat(keys.record().length()).isGreaterThan(255);

        Lookup found = resolver(DNS.server()).lookup("sel", "example.test");

        assertThat(found.status()).isEqualTo(Lookup.Status.FOUND);
        assertThat(found.records()).containsExactly(keys.record());
        assertThat(found.detail()).isEqualTo("sel._domainkey.example.test.: 1 TXT record(s) from " + DNS.server());
    }

    @Test
    void ofRecords_answersFromTheGivenRecordsWithoutDns() throws Exception {
        DkimKeyResolver fixed = DkimKeyResolver.ofRecords(java.util.Map.of("Sel._domainkey.Example.TEST", keys.record()));

        assertThat(fixed.lookup("sel", "example.test").records()).containsExactly(keys.record());
        assertThat(fixed.getRecords("dns/txt", "sel", "example.test")).containsExactly(keys.record());
        assertThat(fixed.lookup("other", "example.test").status()).isEqualTo(Lookup.Status.NO_KEY);
        assertThatThrownBy(() -> fixed.getRecords("dns/txt", "other", "example.test"))
                .isInstanceOf(PermFailException.class);
    }

    @Test
    void d16_nxdomainMeansNoKey() {
        Lookup none = resolver(DNS.server()).lookup("other", "example.test");

        assertThat(none.status()).isEqualTo(Lookup.Status.NO_KEY);
        assertThat(none.detail()).isEqualTo("other._domainkey.example.test.: NXDOMAIN from " + DNS.server());
    }

    @Test
    void d16_refusedIsTemporary() {
        Lookup refused = resolver(DNS.server()).lookup("sel", "example.org");

        assertThat(refused.status()).isEqualTo(Lookup.Status.TEMPFAIL);
        assertThat(refused.detail()).isEqualTo("sel._domainkey.example.org.: " + DNS.server() + " answered REFUSED");
    }

    @Test
    void d16_unreachableServerIsTemporary() throws Exception {
        String closed = "127.0.0.1:" + FreePorts.udp();

        Lookup lookup = DkimKeyResolver.builder().server(closed).timeout(Duration.ofMillis(500)).attempts(1).build()
                .lookup("sel", "example.test");

        assertThat(lookup.status()).isEqualTo(Lookup.Status.TEMPFAIL);
        assertThat(lookup.detail()).startsWith("sel._domainkey.example.test.: " + closed + ": ");
    }

    @Test
    void cacheKeepsAnAnswerForItsTtlOnly() throws Exception {
        MutableClock clock = new MutableClock();
        try (Dnsmasq ttl60 = Dnsmasq.builder().key("sel", "example.test", keys.record()).ttl(60).start()) {
            DkimKeyResolver testee = DkimKeyResolver.builder().server(ttl60.server()).clock(clock)
                    .timeout(Duration.ofSeconds(2)).attempts(2).build(); // generous: a GC pause must not look like TEMPFAIL
            assertThat(testee.lookup("sel", "example.test").status()).isEqualTo(Lookup.Status.FOUND);
            ttl60.stop();

            clock.advance(Duration.ofSeconds(59));
            assertThat(testee.lookup("sel", "EXAMPLE.test").status()).as("cached").isEqualTo(Lookup.Status.FOUND);
            clock.advance(Duration.ofSeconds(2));
            assertThat(testee.lookup("sel", "example.test").status()).as("expired, server gone")
                    .isEqualTo(Lookup.Status.TEMPFAIL);
        }
    }

    @Test
    void cacheDoesNotKeepTtlZeroAnswers() throws Exception {
        try (Dnsmasq ttl0 = Dnsmasq.builder().key("sel", "example.test", keys.record()).start()) {
            DkimKeyResolver testee = DkimKeyResolver.builder().server(ttl0.server()).timeout(Duration.ofSeconds(2))
                    .attempts(2).build();
            assertThat(testee.lookup("sel", "example.test").status()).isEqualTo(Lookup.Status.FOUND);
            ttl0.stop();

            assertThat(testee.lookup("sel", "example.test").status()).isEqualTo(Lookup.Status.TEMPFAIL);
        }
    }

    @Test
    void servesJdkimWithItsExceptions() throws Exception {
        DkimKeyResolver testee = resolver(DNS.server());

        assertThat(testee.getRecords("dns/txt", "sel", "example.test")).containsExactly(keys.record());
        assertThatThrownBy(() -> testee.getRecords("dns/txt", "other", "example.test"))
                .isInstanceOf(PermFailException.class).hasMessageStartingWith("no key for signature (");
        assertThatThrownBy(() -> testee.getRecords("dns/txt", "sel", "example.org"))
                .isInstanceOf(TempFailException.class).hasMessageContaining("answered REFUSED");
        assertThatThrownBy(() -> testee.getRecords("http/well-known", "sel", "example.test"))
                .isInstanceOf(PermFailException.class).hasMessage("only q=dns/txt is supported");
    }

    @Test
    void parsesTheDnsServerOption() {
        assertThat(DkimKeyResolver.builder().server("127.0.0.1:5353").build().servers())
                .containsExactly(new InetSocketAddress("127.0.0.1", 5353));
        assertThat(DkimKeyResolver.builder().server("[::1]:5300").build().servers())
                .containsExactly(new InetSocketAddress("::1", 5300));
        assertThat(DkimKeyResolver.builder().server("127.0.0.1").build().servers())
                .containsExactly(new InetSocketAddress("127.0.0.1", 53));
        assertThatThrownBy(() -> DkimKeyResolver.builder().server("127.0.0.1:0"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("bad DNS server port: 127.0.0.1:0");
        assertThatThrownBy(() -> DkimKeyResolver.builder().server("127.0.0.1:x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("bad DNS server port: 127.0.0.1:x");
        assertThatThrownBy(() -> DkimKeyResolver.builder().server(":53"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("bad DNS server (no host): :53");
        assertThatThrownBy(() -> DkimKeyResolver.builder().timeout(Duration.ofMinutes(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DkimKeyResolver.builder().attempts(0)).isInstanceOf(IllegalArgumentException.class);
    }

    static final class MutableClock extends Clock {
        private Instant now = Instant.parse("2026-11-28T10:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
