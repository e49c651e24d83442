package dev.acmesmime.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import dev.acmesmime.dkim.DkimSigner;
import dev.acmesmime.james.it.OrgJames;
import dev.acmesmime.rfc8823.MessageKind;
import dev.acmesmime.testing.TestChallenge;
import dev.acmesmime.testing.WebAdminClient.Http;

/**
 * The organisation role's metrics as an operator scrapes them: a James 3.8.1 process from
 * {@code conf/org} gets known numbers of genuine, unsigned and unexpected challenges over SMTP,
 * and WebAdmin's {@code /metrics} (James's {@code MetricsRoutes}, Prometheus text) shows exactly
 * those counts per code, the DKIM lookups and timers, and the pending-challenge gauge.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OrgRoleMetricsTest {
    static final String TOKEN_PART2 = "DGyRejmCefe7v4NfDGDKfA";
    static final String THUMBPRINT = "LPJNul-wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ";
    static final String[] ANSWERED = {"alice@" + OrgRoleProcess.DOMAIN, "carol@" + OrgRoleProcess.DOMAIN};
    static final String WAITING = "dave@" + OrgRoleProcess.DOMAIN;
    static final String BOB = "bob@" + OrgRoleProcess.DOMAIN;

    OrgRoleProcess james;

    @BeforeAll
    void start(@TempDir Path work) throws Exception {
        james = new OrgRoleProcess(work, 100, 100, null);
        for (String user : new String[] {ANSWERED[0], ANSWERED[1], WAITING, BOB}) {
            Http put = james.webAdmin().send("PUT", "/users/" + user, "{\"password\":\"secret-" + user.hashCode() + "\"}");
            assertThat(put.status()).as(put.body()).isEqualTo(204);
        james.noteSecret("token-part2", TOKEN_PART2);
        }
    }

    @AfterAll
    void stop() throws Exception {
        if (james != null) {
            james.close();
        }
    }

    @Test
    void countersPerCodeTimersAndThePendingGaugeMatchWhatWasSent() throws Exception {
        register(ANSWERED[0], 1);
        register(ANSWERED[1], 2);
        register(WAITING, 3);
        Map<String, Double> before = scrape();
        assertThat(before).containsEntry("acme_smime_org_pending_challenges", 3.0);

        for (String mailbox : ANSWERED) {
            send(mailbox, true);
        }
        for (int i = 0; i < 3; i++) {
            send(BOB, false); // unsigned: dkim-none leads, then no-pending-challenge
        }
        for (int i = 0; i < 2; i++) {
            send(BOB, true); // genuine, but nothing registered for bob
        }

        await().atMost(Duration.ofMinutes(1)).until(() -> scrape()
                .getOrDefault("acme_smime_org_challenges_seen_total", 0.0) >= 7);
        Map<String, Double> m = scrape();
        assertThat(m).containsEntry("acme_smime_org_challenges_seen_total", 7.0)
                .containsEntry("acme_smime_org_challenges_answered_total", 2.0)
                .containsEntry("acme_smime_org_challenges_ignored_total", 5.0)
                .containsEntry("acme_smime_org_challenges_ignored_dkim_none_total", 3.0)
                .containsEntry("acme_smime_org_challenges_ignored_no_pending_challenge_total", 2.0)
                .containsEntry("acme_smime_org_pending_challenges", 1.0)
                .containsEntry("acme_smime_dkim_key_lookups_found_total", 4.0)
                .containsEntry("acme_smime_dkim_verify_time_count", 7.0)
                .containsEntry("acme_smime_org_response_time_count", 2.0)
                .doesNotContainKey("acme_smime_dkim_key_lookups_missing_total")
                .doesNotContainKey("acme_smime_dkim_key_lookups_temperror_total");
        assertThat(m.keySet()).filteredOn(k -> k.startsWith("acme_smime"))
                .as("never a mailbox in a name").noneMatch(k -> k.contains("alice") || k.contains("bob"));
        assertThat(james.log()).doesNotContain(TOKEN_PART2).doesNotContain("Exception calling dev.acmesmime");
    }

    void register(String mailbox, int n) throws Exception {
        Http put = james.webAdmin().send("PUT", "/acme-smime/pending-challenges/" + mailbox,
                "{\"from\":\"" + OrgRoleProcess.CA + "\",\"tokenPart2\":\"" + TOKEN_PART2 + "\",\"accountThumbprint\":\""
                        + THUMBPRINT + "\",\"challengeUrl\":\"https://ca.test/acme/chall/metrics-" + n
                        + "\",\"expires\":\"" + Instant.now().plus(Duration.ofHours(1)) + "\"}");
        assertThat(put.status()).as(put.body()).isEqualTo(204);
    }

    void send(String mailbox, boolean signed) throws Exception {
        byte[] challenge = TestChallenge.builder().from(OrgRoleProcess.CA).to(mailbox).build();
        if (signed) {
            challenge = DkimSigner.builder().privateKey(james.caKey.pkcs8()).selector("ca").build()
                    .sign(challenge, MessageKind.CHALLENGE);
        }
        OrgJames.send(james.smtpPort, OrgRoleProcess.CA, mailbox, challenge);
    }

    /** Every sample of {@code /metrics} without labels: name → value. */
    Map<String, Double> scrape() throws Exception {
        String body = james.webAdmin().getOk("/metrics");
        Map<String, Double> samples = new HashMap<>();
        for (String line : body.split("\n")) {
            String[] parts = line.trim().split(" ");
            if (parts.length == 2 && !line.startsWith("#") && !parts[0].contains("{")) {
                samples.put(parts[0], Double.parseDouble(parts[1]));
            }
        }
        return samples;
    }
}
