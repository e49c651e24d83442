package dev.acmesmime.deploy;

import static dev.acmesmime.james.it.OrgJames.headerValues;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.subethamail.wiser.WiserMessage;

import dev.acmesmime.dkim.DkimSigner;
import dev.acmesmime.james.it.OrgJames;
import dev.acmesmime.rfc8823.KeyAuthorization;
import dev.acmesmime.rfc8823.MessageKind;
import dev.acmesmime.testing.TestChallenge;
import dev.acmesmime.testing.WebAdminClient.Http;

/**
 * Issue 14 §3 on a real James 3.8.1 ({@code bin/james}, {@code conf/org}): a claimed challenge's response
 * is never lost, and goes out exactly once. The node runs with short response back-off and lease
 * ({@code response.*} settings) and the test hooks of {@code OutboxTestHooks}: a flag file that makes James's
 * spool refuse the response, and one that halts the JVM right after the claim committed (a {@code kill -9}
 * between the claim and the send).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ResponseOutboxProcessTest {
    static final String PASSWORD = "outbox-secret";
    static final String TOKEN_PART2 = "DGyRejmCefe7v4NfDGDKfA";
    static final String THUMBPRINT = "LPJNul-wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ";
    static final String OUTBOX_SETTINGS = "response.pollMillis=200\nresponse.retry.initialSeconds=1\n"
            + "response.retry.maxSeconds=2\nresponse.leaseSeconds=3\n";

    OrgRoleProcess james;
    Path refuseSpool;
    Path haltAfterClaim;

    @BeforeAll
    void start(@TempDir Path work) throws Exception {
        refuseSpool = work.resolve("refuse-spool.flag");
        haltAfterClaim = work.resolve("halt-after-claim.flag");
        String javaOpts = JamesLauncher.DEFAULT_JAVA_OPTS + " -Dacme-smime.test.refuseSpoolWhile=" + refuseSpool
                + " -Dacme-smime.test.haltAfterClaim=" + haltAfterClaim;
        james = new OrgRoleProcess(work.resolve("org"), OrgRoleProcess.Env.start(), true, 5, 100, javaOpts,
                OUTBOX_SETTINGS);
        for (String user : List.of("alice", "bob", "carol")) {
            Http put = james.webAdmin().send("PUT", "/users/" + mailbox(user), "{\"password\":\"" + PASSWORD + "\"}");
            assertThat(put.status()).as(put.body()).isEqualTo(204);
        }
    }

    @AfterAll
    void stop() throws Exception {
        if (james != null) {
            james.close();
        }
    }

    @Test
    @Order(1)
    void theSpoolRefusesForAWhile_theChallengeReadsAnswering_thenExactlyOneResponseGoesOut() throws Exception {
        String alice = mailbox("alice");
        String messageId = "<outbox-refused@ca.test>";
        TestChallenge c = registered(alice, "refused");
        byte[] challenge = sign(c);
        Files.createFile(refuseSpool);

        OrgJames.send(james.smtpPort, OrgRoleProcess.CA, alice, challenge);

        await().atMost(Duration.ofMinutes(1)).until(() -> status(alice).contains("\"status\":\"answering\""));
        await().atMost(Duration.ofSeconds(30)).until(() -> status(alice).contains("spool refused the mail"));
        // several retries refused meanwhile (back-off 1 s, 2 s): nothing left
        Thread.sleep(5_000);
        assertThat(responses(c)).isEmpty();
        assertThat(james.log()).contains("not taken by the mail system (attempt 2)");

        Files.delete(refuseSpool);

        awaitOneResponse(c);
        await().atMost(Duration.ofSeconds(10)).until(() -> status(alice).contains("\"status\":\"answered\""));
        assertThat(status(alice)).doesNotContain("lastError\":\"");

        OrgJames.send(james.smtpPort, OrgRoleProcess.CA, alice, challenge); // a second delivery of the challenge
        assertThat(headerValues(OrgJames.awaitInbox(james.imapPort, alice, PASSWORD, messageId).get(messageId),
                "X-Acme-Smime-Decision")).containsExactly("ignored; already-answered");
        assertStillOneResponse(c);
    }

    @Test
    @Order(2)
    void theRemoteGatewayRefusesForAWhile_exactlyOneResponseArrives() throws Exception {
        String bob = mailbox("bob");
        TestChallenge c = registered(bob, "gateway");
        james.sink.refusing.set(true);
        int refusedBefore = james.sink.refused.get();

        OrgJames.send(james.smtpPort, OrgRoleProcess.CA, bob, sign(c));

        // handed to the spool, so answered; RemoteDelivery keeps it and retries (conf/org: after 5 s)
        await().atMost(Duration.ofMinutes(1)).until(() -> status(bob).contains("\"status\":\"answered\""));
        await().atMost(Duration.ofSeconds(30)).until(() -> james.sink.refused.get() > refusedBefore);
        assertThat(responses(c)).isEmpty();
        james.sink.refusing.set(false);

        awaitOneResponse(c);
        assertStillOneResponse(c);
    }

    @Test
    @Order(3)
    void jamesKilledBetweenTheClaimAndTheSend_theRestartedNodeSendsExactlyOneResponse() throws Exception {
        String carol = mailbox("carol");
        TestChallenge c = registered(carol, "killed");
        Files.createFile(haltAfterClaim);

        OrgJames.send(james.smtpPort, OrgRoleProcess.CA, carol, sign(c));

        assertThat(james.awaitDeath(60)).as("the hook halted James after the claim").isTrue();
        assertThat(haltAfterClaim).doesNotExist();
        assertThat(responses(c)).isEmpty();

        james.restart();

        awaitOneResponse(c);
        await().atMost(Duration.ofSeconds(10)).until(() -> status(carol).contains("\"status\":\"answered\""));
        assertStillOneResponse(c);
    }

    /** The one response arrives, with the right key authorization digest. */
    void awaitOneResponse(TestChallenge c) {
        await().atMost(Duration.ofMinutes(1)).until(() -> responses(c).size() == 1);
        assertThat(new String(responses(c).get(0).getData(), StandardCharsets.ISO_8859_1))
                .contains(KeyAuthorization.digest(c.token(), TOKEN_PART2, THUMBPRINT));
    }

    /** Longer than the lease (3 s) and two back-off steps: no second sender shows up. */
    void assertStillOneResponse(TestChallenge c) throws InterruptedException {
        Thread.sleep(5_000);
        assertThat(responses(c)).hasSize(1);
    }

    static String mailbox(String user) {
        return user + "@" + OrgRoleProcess.DOMAIN;
    }

    /** Registers https://ca.test/acme/chall/outbox-NAME for the mailbox; its challenge mail is {@code <outbox-NAME@ca.test>}. */
    TestChallenge registered(String mailbox, String name) throws Exception {
        james.registerChallenge(mailbox, "https://ca.test/acme/chall/outbox-" + name, TOKEN_PART2, THUMBPRINT);
        return TestChallenge.builder().from(OrgRoleProcess.CA).to(mailbox).messageId("<outbox-" + name + "@ca.test>");
    }

    byte[] sign(TestChallenge c) throws Exception {
        return DkimSigner.builder().privateKey(james.caKey.pkcs8()).selector("ca").build()
                .sign(c.build(), MessageKind.CHALLENGE);
    }

    String status(String mailbox) throws Exception {
        return james.webAdmin().send("GET", "/acme-smime/pending-challenges/" + mailbox, null).body();
    }

    List<WiserMessage> responses(TestChallenge c) {
        return OrgJames.responsesTo(james.sink, c.token());
    }
}
