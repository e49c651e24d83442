package dev.acmesmime.testca.pki;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;

import dev.acmesmime.testca.TestCaSettings;
import dev.acmesmime.testing.Dnsmasq;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** RFC 9495 issuemail against a real dnsmasq serving CAA records (RFC 8659 tree climbing, fail closed). */
class CaaCheckTest {
    private static final String IDENTITY = "test-ca.example";
    private static Dnsmasq dns;

    @BeforeAll
    static void serve() throws Exception {
        dns = Dnsmasq.builder()
                .caa("example.test", 0, "issuemail", IDENTITY)
                .caa("example.test", 0, "issue", "someone-else.example")
                .caa("params.test", 0, "issuemail", "other.example")
                .caa("params.test", 0, "issuemail", "TEST-CA.example; account=4711")
                .caa("other.test", 0, "issuemail", "other.example")
                .caa("nobody.test", 0, "issuemail", ";")
                .caa("tlsonly.test", 0, "issue", "other.example")
                .caa("critical.test", 128, "futureproperty", "x")
                .start();
    }

    @AfterAll
    static void stop() {
        dns.close();
    }

    @Test
    void anIssuemailNamingThisCaAllows() {
        assertThat(check("alice@example.test")).isEmpty();
    }

    @Test
    void theParentsRecordsApplyToASubdomain() {
        assertThat(check("alice@mail.sub.example.test")).isEmpty();
        assertThat(check("bob@mail.other.test")).contains("CAA issuemail at other.test does not authorize " + IDENTITY);
    }

    @Test
    void oneMatchingIssuemailAmongSeveralAllowsIgnoringCaseAndParameters() {
        assertThat(check("alice@params.test")).isEmpty();
    }

    @Test
    void anIssuemailNamingAnotherCaRefuses() {
        assertThat(check("bob@other.test")).contains("CAA issuemail at other.test does not authorize " + IDENTITY);
    }

    @Test
    void anEmptyIssuerRefusesEveryone() {
        assertThat(check("bob@nobody.test")).contains("CAA issuemail at nobody.test does not authorize " + IDENTITY);
    }

    @Test
    void recordsWithoutIssuemailAndNoRecordsAtAllAllow() {
        assertThat(check("bob@tlsonly.test")).isEmpty();
        assertThat(check("bob@nothing.test")).isEmpty();
    }

    @Test
    void anUnknownCriticalPropertyRefuses() {
        assertThat(check("bob@critical.test")).contains("CAA at critical.test has an unknown critical property "
                + "futureproperty");
    }

    @Test
    void aFailedLookupRefuses() {
        // dnsmasq answers REFUSED outside its local .test domain: it has no upstream
        assertThat(check("bob@example.org")).hasValueSatisfying(r -> assertThat(r).startsWith(
                "CAA lookup failed: REFUSED for example.org"));
    }

    @Test
    void offMeansAllowedWithoutAsking() {
        CaaCheck off = new CaaCheck(new TestCaSettings.Caa(false, IDENTITY, Optional.of("127.0.0.1:1")));
        assertThat(off.refusal("bob@other.test")).isEmpty();
    }

    private static Optional<String> check(String address) {
        return new CaaCheck(new TestCaSettings.Caa(true, IDENTITY, Optional.of(dns.server()))).refusal(address);
    }
}
