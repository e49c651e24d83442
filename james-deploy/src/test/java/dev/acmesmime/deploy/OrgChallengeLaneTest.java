package dev.acmesmime.deploy;

import static dev.acmesmime.deploy.CaJames.JSON;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.commons.net.smtp.SMTPClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.acmesmime.dkim.DkimSigner;
import dev.acmesmime.james.it.OrgJames;
import dev.acmesmime.rfc8823.MessageKind;
import dev.acmesmime.testing.ConfFiles;
import dev.acmesmime.testing.TestChallenge;
import dev.acmesmime.testing.WebAdminClient.Http;

/**
 * Issue 14 §5 on a real James 3.8.1 process (conf/org as shipped, with its {@code ExpectedChallengeHook}):
 * a genuine challenge sent behind a backlog of forged ones in James's spool is answered while that backlog
 * is still there, through the challenge lane; the forged ones are all still processed (none lost) and an
 * ordinary mail takes the spool. The backlog is made of forged challenges to {@value #TARGETS} mailboxes
 * each, sent over {@value #CONNECTIONS} connections to a spool with one thread (the node's copy of conf/org), so
 * that SMTP takes them far faster than James processes them (one DATA against {@value #TARGETS} decisions
 * and deliveries) on any machine. Asserts order and counts, never times.
 */
class OrgChallengeLaneTest {
    static final String ALICE = "alice@" + OrgRoleProcess.DOMAIN;
    static final int TARGETS = 30;
    static final int FORGED = 150;
    /** Mails waiting in the spool before the genuine challenge is sent. */
    static final int BACKLOG = 30;
    static final int CONNECTIONS = 4;

    @Test
    void anExpectedChallengeIsAnsweredBeforeABacklogOfForgedOnesDrains(@TempDir Path work) throws Exception {
        OrgRoleProcess.Env env = OrgRoleProcess.Env.start();
        try (OrgRoleProcess james = new OrgRoleProcess(work, env, true, 0, 0, null, "", env.sink().getServer().getPort(),
                (conf, home) -> ConfFiles.replaceOnce(conf.resolve("mailetcontainer.xml"), "<threads>20</threads>",
                        "<threads>1</threads>"))) {
            List<String> targets = createUsers(james);
            DkimSigner ca = DkimSigner.builder().privateKey(james.caKey.pkcs8()).selector("ca").build();
            List<String> forged = forged(ca, targets);
            ExecutorService senders = Executors.newFixedThreadPool(CONNECTIONS);
            List<Future<?>> flood = new ArrayList<>();
            AtomicInteger accepted = new AtomicInteger();
            for (int c = 0; c < CONNECTIONS; c++) {
                int first = c;
                flood.add(senders.submit(() -> send(james, targets, forged, first, accepted)));
            }
            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(100))
                    .until(() -> spoolSize(james) >= BACKLOG || flood.stream().allMatch(Future::isDone));
            assertThat(spoolSize(james)).as("a backlog in the spool before the genuine challenge").isGreaterThanOrEqualTo(BACKLOG);

            james.registerChallenge(ALICE, "https://ca.test/acme/chall/lane", OrgFloodDrill.TOKEN_PART2,
                    OrgFloodDrill.THUMBPRINT);
            TestChallenge genuine = TestChallenge.builder().from(OrgRoleProcess.CA).to(ALICE);
            int aheadOfGenuine = accepted.get();
            OrgJames.send(james.smtpPort, OrgRoleProcess.CA, ALICE, ca.sign(genuine.build(), MessageKind.CHALLENGE));
            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(50))
                    .until(() -> !OrgJames.responsesTo(james.sink, genuine.token()).isEmpty());
            int spoolAtAnswer = spoolSize(james);
            double decidedAtAnswer = scrape(james).getOrDefault("acme_smime_org_challenges_ignored_total", 0.0);

            for (Future<?> f : flood) {
                f.get(5, TimeUnit.MINUTES);
            }
            senders.shutdown();
            await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofMillis(500)).until(() -> spoolSize(james) == 0);
            assertThat(spoolAtAnswer).as("mails still in the spool when the genuine challenge was answered").isPositive();
            // the spool is FIFO: without the lane, every mail SMTP took before the genuine one is decided first
            assertThat(decidedAtAnswer).as("forged decisions taken when the genuine challenge was answered, of "
                    + aheadOfGenuine + " mails ahead of it").isLessThan(aheadOfGenuine * TARGETS);
            Map<String, Double> m = scrape(james);
            assertThat(m).as("every forged challenge processed, none lost")
                    .containsEntry("acme_smime_org_challenges_ignored_total", (double) FORGED * TARGETS)
                    .containsEntry("acme_smime_org_challenges_answered_total", 1.0)
                    .as("the lane took the genuine challenge and its response, nothing else")
                    .containsEntry("acme_smime_org_lane_taken_total", 2.0)
                    .doesNotContainKey("acme_smime_org_lane_full_total");
            assertThat(OrgJames.responsesTo(james.sink, genuine.token())).hasSize(1);

            OrgJames.send(james.smtpPort, "bob@elsewhere.test", ALICE,
                    "From: bob@elsewhere.test\r\nSubject: lunch\r\nMessage-ID: <lunch@elsewhere.test>\r\n\r\nsee you\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(OrgJames.awaitInbox(james.imapPort, ALICE, "secret", "<lunch@elsewhere.test>")).isNotEmpty();
            assertThat(scrape(james)).as("an ordinary mail takes the spool").containsEntry("acme_smime_org_lane_taken_total", 2.0);
            assertThat(james.log()).contains("acme-smime challenge lane started", "taken into the challenge lane")
                    .doesNotContain("Exception calling dev.acmesmime");
        }
    }

    private static List<String> createUsers(OrgRoleProcess james) throws Exception {
        List<String> targets = new ArrayList<>();
        for (int i = 0; i < TARGETS; i++) {
            targets.add("f" + i + "@" + OrgRoleProcess.DOMAIN);
        }
        for (String user : concat(targets, ALICE)) {
            Http put = james.webAdmin().send("PUT", "/users/" + user, "{\"password\":\"secret\"}");
            assertThat(put.status()).as(put.body()).isEqualTo(204);
        }
        return targets;
    }

    private static List<String> concat(List<String> list, String one) {
        List<String> all = new ArrayList<>(list);
        all.add(one);
        return all;
    }

    /** {@value #FORGED} challenges validly signed by the CA that no mailbox waits for. */
    private static List<String> forged(DkimSigner ca, List<String> targets) {
        List<String> mails = new ArrayList<>();
        for (int i = 0; i < FORGED; i++) {
            byte[] raw = TestChallenge.builder().from(OrgRoleProcess.CA).to(targets.get(i % TARGETS)).build();
            mails.add(new String(ca.sign(raw, MessageKind.CHALLENGE), StandardCharsets.ISO_8859_1));
        }
        return mails;
    }

    /** Sends forged mail {@code first}, {@code first + CONNECTIONS} … over one connection, each to every target, counting those taken. */
    private static Void send(OrgRoleProcess james, List<String> targets, List<String> mails, int first,
                             AtomicInteger accepted) throws IOException {
        SMTPClient smtp = new SMTPClient(StandardCharsets.US_ASCII.name());
        smtp.connect("127.0.0.1", james.smtpPort);
        try {
            smtp.login("forger.test");
            for (int i = first; i < mails.size(); i += CONNECTIONS) {
                if (!smtp.sendSimpleMessage(OrgRoleProcess.CA, targets.toArray(String[]::new), mails.get(i))) {
                    throw new IOException("SMTP refused forged mail " + i + ": " + smtp.getReplyString());
                }
                accepted.incrementAndGet();
            }
            smtp.logout();
        } finally {
            smtp.disconnect();
        }
        return null;
    }

    private static int spoolSize(OrgRoleProcess james) throws Exception {
        return JSON.readTree(james.webAdmin().getOk("/mailQueues/spool")).path("size").asInt(-1);
    }

    /** Every sample of WebAdmin's {@code /metrics} without labels: name → value. */
    private static Map<String, Double> scrape(OrgRoleProcess james) throws Exception {
        Map<String, Double> samples = new HashMap<>();
        for (String line : james.webAdmin().getOk("/metrics").split("\n")) {
            String[] parts = line.trim().split(" ");
            if (parts.length == 2 && !line.startsWith("#") && !parts[0].contains("{")) {
                samples.put(parts[0], Double.parseDouble(parts[1]));
            }
        }
        return samples;
    }
}
