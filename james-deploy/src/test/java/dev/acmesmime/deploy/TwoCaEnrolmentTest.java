package dev.acmesmime.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

import com.fasterxml.jackson.databind.JsonNode;

import dev.acmesmime.testca.client.OpensslVerify;
import dev.acmesmime.testing.WebAdminClient.Http;

/**
 * Issue 15, "two profiles for two domains: each domain's mailboxes get certificates from their own CA",
 * across real processes ({@link TwoCaChain}: two test CAs, two CA-role James, one organisation James,
 * dnsmasq; SMTP between the James). An admin adds the second domain and creates one user in each domain;
 * the rest is the plugin's doing.
 */
@Timeout(600) // hang guard only
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TwoCaEnrolmentTest {

    static final String ALICE = "alice@" + OrgRoleProcess.DOMAIN;
    static final String CAROL = "carol@" + TwoCaChain.OTHER_DOMAIN;

    TwoCaChain chain;

    @BeforeAll
    void start() throws Exception {
        chain = TwoCaChain.start();
    }

    @AfterAll
    void stop() throws Exception {
        if (chain == null) {
            return;
        }
        try {
            for (TwoCaChain.CaSide side : List.of(chain.first, chain.second)) {
                assertThat(side.james().log()).doesNotContain("Exception calling dev.acmesmime")
                        .doesNotContain("Encountered error while executing mailet dev.acmesmime");
                side.james().checkSecrets();
            }
        } finally {
            chain.close(); // the organisation James checks its secrets (both EAB keys among them) first
        }
    }

    /**
     * alice@org.example's certificate comes from the first CA and carol@other.test's from the second: each
     * enrolment is issued under its own profile, each chain verifies against its own CA's root and not the
     * other's, and each test CA saw exactly one order, for its own domain's mailbox.
     */
    @Test
    void eachDomainsMailboxes_getCertificatesFromTheirOwnCa() throws Exception {
        Http domain = chain.org.webAdmin().send("PUT", "/domains/" + TwoCaChain.OTHER_DOMAIN, null);
        assertThat(domain.status()).as(domain.body()).isEqualTo(204);
        chain.enrolments.createUser(ALICE);
        chain.enrolments.createUser(CAROL);

        assertIssuedBy(ALICE, TwoCaChain.FIRST, chain.first, chain.second);
        assertIssuedBy(CAROL, TwoCaChain.SECOND, chain.second, chain.first);

        assertThat(chain.first.orders()).as("orders at the first test CA").isEqualTo(1);
        assertThat(chain.second.orders()).as("orders at the second test CA").isEqualTo(1);
        assertThat(chain.first.ca().output()).as("the first test CA's log").contains(identifier(ALICE))
                .doesNotContain(identifier(CAROL));
        assertThat(chain.second.ca().output()).as("the second test CA's log").contains(identifier(CAROL))
                .doesNotContain(identifier(ALICE));
    }

    /** Issued under {@code profile}; the chain verifies against {@code own}'s root and fails against {@code other}'s. */
    private void assertIssuedBy(String mailbox, String profile, TwoCaChain.CaSide own, TwoCaChain.CaSide other)
            throws Exception {
        JsonNode issued = chain.enrolments.awaitStep(mailbox, "issued");
        assertThat(issued.path("profile").asText()).isEqualTo(profile);
        List<X509Certificate> certs = TrustedHttp.certificates(chain.enrolments.certificatePem(mailbox));
        X509Certificate leaf = certs.get(0);
        assertThat(leaf.getSubjectAlternativeNames()).containsExactly(List.of(1, mailbox));

        Path dir = Files.createDirectories(chain.work.resolve(mailbox));
        OpensslVerify.Result ownRoot = OpensslVerify.smimesign(own.ca().rootPem(), certs.get(1), leaf, dir);
        assertThat(ownRoot.exitCode()).as(ownRoot.output()).isZero();
        assertThat(ownRoot.output()).contains(": OK");
        OpensslVerify.Result otherRoot = OpensslVerify.smimesign(other.ca().rootPem(), certs.get(1), leaf, dir);
        assertThat(otherRoot.exitCode()).as("verified against the other CA's root: %s", otherRoot.output()).isNotZero();
    }

    /** How the test CA logs a new authorisation's mailbox: {@code newAuthz … identifier=<mailbox> …}. */
    private static String identifier(String mailbox) {
        return "identifier=" + mailbox + " ";
    }
}
