package dev.acmesmime.deploy;

import static dev.acmesmime.james.it.OrgJames.headerValues;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.subethamail.wiser.WiserMessage;

import dev.acmesmime.dkim.DkimSigner;
import dev.acmesmime.james.it.OrgJames;
import dev.acmesmime.testing.WebAdminClient.Http;
import dev.acmesmime.rfc8823.MessageKind;
import dev.acmesmime.store.MasterKey;
import dev.acmesmime.store.PostgresTestServer;
import dev.acmesmime.testing.TestChallenge;

/**
 * C22 across a cluster: two James 3.8.1 processes ({@code bin/james}, conf/org) share one PostgreSQL store
 * and one master key. The same challenge reaches both nodes; exactly one response leaves, and the other
 * node delivers its copy marked {@code already-answered}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OrgRoleTwoNodesTest {

    static final String ALICE = "alice@" + OrgRoleProcess.DOMAIN;
    static final String PASSWORD = "alice-secret";

    String database;
    OrgRoleProcess.Env env;
    OrgRoleProcess nodeA;
    OrgRoleProcess nodeB;

    @BeforeAll
    void start(@TempDir Path work) throws Exception {
        database = PostgresTestServer.createDatabase();
        Path key = work.resolve("master.key");
        MasterKey.create(key);
        String store = "store.jdbc.url=" + database + "\nstore.masterKeyFile=" + key + "\nstore.masterKeyFile.create=false\n";
        env = OrgRoleProcess.Env.start();
        nodeA = new OrgRoleProcess(work.resolve("a"), env, false, 5, 100, null, store + "store.nodeName=node-a\n");
        nodeB = new OrgRoleProcess(work.resolve("b"), env, false, 5, 100, null, store + "store.nodeName=node-b\n");
        for (OrgRoleProcess node : List.of(nodeA, nodeB)) {
            Http user = node.webAdmin().send("PUT", "/users/" + ALICE, "{\"password\":\"" + PASSWORD + "\"}");
            assertThat(user.status()).as(user.body()).isEqualTo(204);
        }
    }

    @AfterAll
    void stop() throws Exception {
        try {
            for (OrgRoleProcess node : new OrgRoleProcess[] {nodeA, nodeB}) {
                if (node != null) {
                    node.close();
                }
            }
        } finally {
            if (env != null) {
                env.close();
            }
            if (database != null) {
                PostgresTestServer.dropDatabase(database);
            }
        }
    }

    @Test
    void c22_theSameChallengeOnTwoNodesIsAnsweredOnce() throws Exception {
        // registered on node A, visible to node B through the shared store
        Http put = nodeA.webAdmin().send("PUT", "/acme-smime/pending-challenges/" + ALICE,
                "{\"from\":\"" + OrgRoleProcess.CA + "\",\"tokenPart2\":\"DGyRejmCefe7v4NfDGDKfA\",\"accountThumbprint\":"
                        + "\"LPJNul-wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ\",\"challengeUrl\":\"https://ca.test/acme/chall/cluster\","
                        + "\"expires\":\"" + Instant.now().plus(Duration.ofHours(1)) + "\"}");
        assertThat(put.status()).as(put.body()).isEqualTo(204);
        for (OrgRoleProcess node : new OrgRoleProcess[] {nodeA, nodeB}) {
            node.noteSecret("token-part2", "DGyRejmCefe7v4NfDGDKfA");
        }
        TestChallenge c = TestChallenge.builder().from(OrgRoleProcess.CA).to(ALICE).messageId("<cluster-1@ca.test>");
        byte[] challenge = DkimSigner.builder().privateKey(env.caKey().pkcs8()).selector("ca").build()
                .sign(c.build(), MessageKind.CHALLENGE);

        // the CA's MX retries on the second node, e.g. after a timeout: both nodes get the same mail
        Thread first = new Thread(() -> send(nodeA, challenge));
        first.start();
        send(nodeB, challenge);
        first.join();

        // one node answers and consumes its copy; the other delivers its copy marked
        Map<String, String> inboxA = inboxOnceSettled(nodeA);
        Map<String, String> inboxB = inboxOnceSettled(nodeB);
        await().atMost(Duration.ofMinutes(1)).until(() -> responses(c.token()).size() >= 1);
        assertThat(inboxA.size() + inboxB.size()).isEqualTo(1);
        String delivered = (inboxA.isEmpty() ? inboxB : inboxA).get("<cluster-1@ca.test>");
        assertThat(headerValues(delivered, "X-Acme-Smime-Decision")).containsExactly("ignored; already-answered");
        assertThat(responses(c.token())).hasSize(1);
        Http status = nodeB.webAdmin().send("GET", "/acme-smime/pending-challenges/" + ALICE, null);
        assertThat(status.body()).contains("\"status\":\"answered\"");
    }

    /** The node's inbox once the challenge was decided there (answered and consumed, or delivered). */
    private Map<String, String> inboxOnceSettled(OrgRoleProcess node) throws Exception {
        await().atMost(Duration.ofMinutes(1)).until(() -> node.log().contains("RFC 8823 challenge for " + ALICE));
        // ignoreExceptions: a read may meet the mailbox before the delivery created it; on timeout the last error is shown
        await().atMost(Duration.ofMinutes(1)).ignoreExceptions()
                .until(() -> !node.log().contains("RFC 8823 challenge for " + ALICE + " ignored")
                        || OrgJames.inbox(node.imapPort, ALICE, PASSWORD).containsKey("<cluster-1@ca.test>"));
        return await().atMost(Duration.ofMinutes(1)).ignoreExceptions()
                .until(() -> OrgJames.inbox(node.imapPort, ALICE, PASSWORD), inbox -> true);
    }

    private static void send(OrgRoleProcess node, byte[] challenge) {
        try {
            OrgJames.send(node.smtpPort, OrgRoleProcess.CA, ALICE, challenge);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private List<WiserMessage> responses(String token) {
        return OrgJames.responsesTo(env.sink(), token);
    }
}
