package dev.acmesmime.deploy;

import static dev.acmesmime.deploy.CaJames.JSON;
import static dev.acmesmime.deploy.CaJames.WAIT;
import static dev.acmesmime.deploy.CaMails.CA;
import static dev.acmesmime.deploy.CaMails.challenge;
import static dev.acmesmime.deploy.CaMails.local;
import static dev.acmesmime.deploy.CaMails.notice;
import static dev.acmesmime.deploy.CaMails.response;
import static dev.acmesmime.deploy.CaMails.token;
import static dev.acmesmime.testing.WebAdminClient.segment;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;

import dev.acmesmime.deploy.CaJames.Issued;
import dev.acmesmime.testing.WebAdminClient.Http;

/**
 * What the CA's James keeps across a restart, graceful or {@code kill -9}: results the ACME server could
 * not take yet are delivered exactly once after recovery (the outbox is durable), and held challenges and copies of
 * invalid responses stay on disk, in the file repositories conf/ca names.
 */
class CaRestartTest {

    @RegisterExtension
    static final CaJames JAMES = CaJames.shared("native");

    @Test
    void anOutageAcrossAJamesRestart_deliversEveryResultExactlyOnceAfterRecovery() throws Exception {
        JAMES.acme().status = 503;
        List<String> users = List.of("erin@example.test", "frank@example.test", "grace@example.test");
        try {
            respondAndAwaitARefusal(users);
            assertThat(JAMES.outbox(users)).hasSize(users.size());

            JAMES.stopJames();
        } finally {
            JAMES.acme().status = 200;
        }
        JAMES.startJames();

        assertDeliveredOnceEach(users);
    }

    /**
     * Issue 14 §5's CA drill, short: the ACME server is down while responses arrive, James is killed with
     * {@code kill -9} (no shutdown hook; the outbox is what the store holds) and started again, responses
     * keep arriving, then the server recovers. Every result reaches it exactly once (by idempotency key).
     * The long drill with the figures is {@link CaOutageDrill}.
     */
    @Test
    void anOutageAcrossAKill9OfJames_deliversEveryResultExactlyOnceAfterRecovery() throws Exception {
        List<String> beforeKill = List.of("vera@example.test", "walt@example.test");
        List<String> afterKill = List.of("xena@example.test", "yuri@example.test");
        JAMES.acme().status = 503;
        try {
            respondAndAwaitARefusal(beforeKill);
            JAMES.killJames();
            JAMES.startJames();
            respondAndAwaitARefusal(afterKill);
        } finally {
            JAMES.acme().status = 200;
        }
        List<String> users = new ArrayList<>(beforeKill);
        users.addAll(afterKill);
        assertDeliveredOnceEach(users);
    }

    /** A challenge to each user, its signed response, and the ACME server's refusal of each result. */
    private void respondAndAwaitARefusal(List<String> users) throws Exception {
        for (String user : users) {
            Issued c = JAMES.challenge(user, user.charAt(0));
            JAMES.sendResponse(user, c.response("<r-" + local(user) + "@ca.example>"), "example.test");
        }
        for (String user : users) {
            await().atMost(WAIT).until(() -> !JAMES.acme().requests(user).isEmpty());
        }
        assertThat(JAMES.acme().delivered(users)).isEmpty();
    }

    /** Each user's result reached the ACME server answering 200 exactly once, the outbox is empty, the audit says so. */
    private void assertDeliveredOnceEach(List<String> users) throws Exception {
        await().atMost(WAIT).until(() -> JAMES.acme().delivered(users).size() >= users.size());
        await().atMost(WAIT).until(() -> JAMES.outbox(users).isEmpty());
        Map<String, Long> deliveredPerId = JAMES.acme().delivered(users).stream()
                .collect(Collectors.groupingBy(r -> r.getHeader("Idempotency-Key"), Collectors.counting()));
        assertThat(deliveredPerId).hasSize(users.size()).allSatisfy((id, count) -> assertThat(count).isEqualTo(1));
        for (String user : users) {
            assertThat(JAMES.audit("address=" + user))
                    .anySatisfy(a -> assertThat(a.path("outcome").asText()).isEqualTo("http-503"))
                    .anySatisfy(a -> {
                        assertThat(a.path("event").asText()).isEqualTo("forward-delivered");
                        assertThat(a.path("outcome").asText()).isEqualTo("valid");
                    });
        }
    }

    @Test
    void heldChallengesAndInvalidResponseCopies_areOnDisk_andSurviveARestart() throws Exception {
        holdTwoChallenges();
        rejectAnUnsignedAndAnExpiredResponse();
        forwardAValidResponse();

        JAMES.stopJames();
        JAMES.startJames();

        // WebAdmin names repositories by their path; the protocol (file:) is in mailrepositorystore.xml
        List<String> heldMails = repositoryMails("var/mail/acme-challenge-held");
        assertThat(heldMails).as("olga's and pete's challenges").hasSizeGreaterThanOrEqualTo(2);
        assertThat(heldMails).anySatisfy(m -> assertThat(m).contains("Message-ID: <c-noauto-olga@ca.example>")
                .contains("X-Acme-Smime-Held: auto-submitted"));
        assertThat(heldMails).anySatisfy(m -> assertThat(m).contains("Message-ID: <c-short-pete@ca.example>")
                .contains("X-Acme-Smime-Held: token-too-short"));
        assertThat(repositoryMails("var/mail/acme-invalid"))
                .anySatisfy(m -> assertThat(m).contains("Message-ID: <f-unsigned-rita@example.test>"))
                .anySatisfy(m -> assertThat(m).contains("Message-ID: <r-leah@example.test>"))
                .noneSatisfy(m -> assertThat(m).contains("Message-ID: <r-kurt@example.test>"));
        assertThat(Files.isDirectory(JAMES.home().resolve("var/mail/acme-challenge-held"))).isTrue();
    }

    private void holdTwoChallenges() throws Exception {
        JAMES.send(CA, "olga@example.test", challenge("olga@example.test", "<c-noauto-olga@ca.example>", token('o'), false));
        JAMES.send(CA, "pete@example.test", challenge("pete@example.test", "<c-short-pete@ca.example>", "AAAAAAAAAAA", true));
        await().atMost(WAIT).until(() -> JAMES.audit("address=olga@example.test").size()
                + JAMES.audit("address=pete@example.test").size() >= 2);
    }

    /** An unsigned response to a challenge James signed, and a signed one to a challenge created 25 hours ago (B7). */
    private void rejectAnUnsignedAndAnExpiredResponse() throws Exception {
        String rita = "rita@example.test";
        JAMES.sendResponse(rita, JAMES.challenge(rita, 'r').response("<f-unsigned-rita@example.test>"), null);

        String leah = "leah@example.test";
        Http registered = JAMES.webAdmin().post("/acme-smime/challenges", notice("<n-leah@ca.example>", token('L'), leah,
                Instant.now().minus(Duration.ofHours(25)).toString()));
        assertThat(registered.status()).as(registered.body()).isEqualTo(201);
        JAMES.sendResponse(leah, response(leah, token('L'), "<n-leah@ca.example>", "<r-leah@example.test>"), "example.test");
        for (String user : List.of(rita, leah)) {
            await().atMost(WAIT).until(() -> JAMES.audit("address=" + user).stream()
                    .anyMatch(a -> a.path("event").asText().startsWith("response-")));
        }
    }

    private void forwardAValidResponse() throws Exception {
        String kurt = "kurt@example.test";
        Http registered = JAMES.webAdmin().post("/acme-smime/challenges", notice("<n-kurt@ca.example>", token('K'), kurt, null));
        assertThat(registered.status()).as(registered.body()).isEqualTo(201);
        JAMES.sendResponse(kurt, response(kurt, token('K'), "<n-kurt@ca.example>", "<r-kurt@example.test>"), "example.test");
        await().atMost(WAIT).until(() -> !JAMES.acme().delivered(kurt).isEmpty());
    }

    /** Every mail of a James mail repository, as WebAdmin serves it (message/rfc822). */
    private List<String> repositoryMails(String repository) throws Exception {
        assertThat(JAMES.webAdmin().getOk("/mailRepositories")).contains(repository);
        List<String> mails = new ArrayList<>();
        for (JsonNode key : JSON.readTree(JAMES.webAdmin().getOk("/mailRepositories/" + segment(repository) + "/mails"))) {
            Http mail = JAMES.webAdmin().get("/mailRepositories/" + segment(repository) + "/mails/"
                    + segment(key.asText()), "message/rfc822");
            assertThat(mail.status()).as(mail.body()).isEqualTo(200);
            mails.add(mail.body());
        }
        return mails;
    }
}
