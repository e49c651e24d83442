package dev.acmesmime.james.it;

import static dev.acmesmime.james.it.OrgJames.headerValues;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.james.GuiceJamesServer;
import org.apache.james.MemoryJamesConfiguration;
import org.apache.james.MemoryJamesServerMain;
import org.apache.james.data.UsersRepositoryModuleChooser;
import org.apache.james.mailrepository.api.MailRepositoryUrl;
import org.apache.james.utils.DataProbeImpl;
import org.apache.james.utils.MailRepositoryProbeImpl;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.subethamail.wiser.Wiser;
import org.subethamail.wiser.WiserMessage;

import dev.acmesmime.dkim.DkimSigner;
import dev.acmesmime.dkim.SignedFields;
import dev.acmesmime.rfc8823.KeyAuthorization;
import dev.acmesmime.rfc8823.MessageKind;
import dev.acmesmime.testing.Dkimpy;
import dev.acmesmime.testing.DkimDns;
import dev.acmesmime.testing.FreePorts;
import dev.acmesmime.testing.TestChallenge;
import dev.acmesmime.testing.TestKeys;
import dev.acmesmime.testing.WebAdminClient;
import dev.acmesmime.testing.WebAdminClient.Http;

/**
 * The organisation role in a real James 3.8.1 in this JVM, configured from the repository's
 * {@code conf/org} (ports, DNS server and gateway rewritten): challenges arrive over SMTP, DKIM keys
 * come from a real dnsmasq, responses leave through RemoteDelivery to a Wiser SMTP sink on loopback
 * and are verified by Debian's dkimpy; pending challenges are registered over WebAdmin, mailboxes
 * are read over IMAP. Test names cite the checklist rules.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(300) // hang guard only
class OrgRoleJamesTest {

    static final String DOMAIN = "org.example";
    static final String PASSWORD = "secret";
    static final String CA = "acme@ca.test";
    static final String TOKEN_PART2 = "DGyRejmCefe7v4NfDGDKfA";
    static final String THUMBPRINT = "LPJNul-wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ";
    static final MailRepositoryUrl ERROR_REPOSITORY = MailRepositoryUrl.from("file://var/mail/error/");

    @RegisterExtension
    static final DkimDns DNS = DkimDns.keys(k -> k.rsa("ca", 2048).rsa("org", 2048).rsa("evil", 2048))
            .publish("ca", "ca.test", "ca")
            .publish("acme", DOMAIN, "org")
            .publish("evil", "evil.test", "evil");

    Path work;
    TestKeys caKey;
    TestKeys orgKey;
    TestKeys evilKey;
    WebAdminClient webAdmin;
    Wiser sink;
    GuiceJamesServer james;
    int smtpPort;
    int imapPort;
    int webAdminPort;
    final AtomicInteger challengeUrls = new AtomicInteger();

    @BeforeAll
    void start(@TempDir Path work) throws Exception {
        this.work = work;
        caKey = DNS.key("ca");
        orgKey = DNS.key("org");
        evilKey = DNS.key("evil");
        sink = new Wiser(FreePorts.tcp());
        sink.getServer().setBindAddress(java.net.InetAddress.getLoopbackAddress());
        sink.start();

        Path home = work.resolve("home");
        smtpPort = FreePorts.tcp();
        imapPort = FreePorts.tcp();
        webAdminPort = FreePorts.tcp();
        webAdmin = new WebAdminClient(webAdminPort);
        OrgJames.writeConf(home.resolve("conf"), new OrgJames.Settings(smtpPort, imapPort, webAdminPort, DNS.server(),
                sink.getServer().getPort(), 2, 100));
        Path keys = Files.createDirectories(home.resolve("var/dkim"));
        Files.copy(orgKey.pkcs8(), keys.resolve("acme._domainkey." + DOMAIN + ".pem"));

        james = MemoryJamesServerMain.createServer(MemoryJamesConfiguration.builder()
                .workingDirectory(home.toFile())
                .usersRepository(UsersRepositoryModuleChooser.Implementation.DEFAULT)
                .build());
        james.start();
        DataProbeImpl data = james.getProbe(DataProbeImpl.class);
        data.addDomain("nokey.example");
        for (String user : List.of("alice", "bob", "carol", "dave", "erin", "frank", "gina", "hugo", "jack")) {
            data.addUser(user + "@" + DOMAIN, PASSWORD);
        }
        data.addUser("ivan@nokey.example", PASSWORD);
        // bob expects a challenge from the CA that only forged or unexpected variants ever reach
        register("bob@" + DOMAIN);
    }

    @AfterAll
    void stop() {
        if (james != null) {
            james.stop();
        }
        if (sink != null) {
            sink.stop();
        }
    }

    // ---- helpers ----

    String register(String mailbox, String from, Instant expires) throws Exception {
        String url = "https://ca.test/acme/chall/" + challengeUrls.incrementAndGet();
        Http put = webAdmin.send("PUT", "/acme-smime/pending-challenges/" + mailbox,
                "{\"from\":\"" + from + "\",\"tokenPart2\":\"" + TOKEN_PART2 + "\",\"accountThumbprint\":\""
                        + THUMBPRINT + "\",\"challengeUrl\":\"" + url + "\",\"expires\":\"" + expires + "\"}");
        assertThat(put.status()).as(put.body()).isEqualTo(204);
        return url;
    }

    String register(String mailbox) throws Exception {
        return register(mailbox, CA, Instant.now().plus(Duration.ofHours(1)));
    }

    byte[] signedByCa(TestChallenge c) throws Exception {
        return DkimSigner.builder().privateKey(caKey.pkcs8()).selector("ca").build().sign(c.build(), MessageKind.CHALLENGE);
    }

    List<WiserMessage> responsesTo(String token) {
        return OrgJames.responsesTo(sink, token);
    }

    /** The delivered copy's decision header, once the mail is in the mailbox. */
    List<String> decisionDelivered(String user, String messageId) {
        Map<String, String> inbox = OrgJames.awaitInbox(imapPort, user + "@" + DOMAIN, PASSWORD, messageId);
        return headerValues(inbox.get(messageId), "X-Acme-Smime-Decision");
    }

    /** Sends the challenge to the user and returns the decision header of the delivered copy. */
    List<String> sendIgnored(String user, TestChallenge c, byte[] raw) throws Exception {
        OrgJames.send(smtpPort, CA, user + "@" + DOMAIN, raw);
        return decisionDelivered(user, messageIdOf(raw));
    }

    static String messageIdOf(byte[] raw) {
        return headerValues(new String(raw, StandardCharsets.ISO_8859_1), "Message-ID").get(0);
    }

    // ---- the main path ----

    @Test
    void r1_r18_c22_aGenuineChallengeGetsExactlyOneSignedResponseAndIsAnsweredOnce() throws Exception {
        String url = register("alice@" + DOMAIN);
        TestChallenge c = TestChallenge.builder().to("alice@" + DOMAIN).messageId("<genuine-1@ca.test>");
        byte[] challenge = signedByCa(c);

        OrgJames.send(smtpPort, CA, "alice@" + DOMAIN, challenge);

        await().atMost(Duration.ofMinutes(1)).until(() -> responsesTo(c.token()).size() == 1);
        WiserMessage response = responsesTo(c.token()).get(0);
        assertThat(response.getEnvelopeSender()).isEqualTo("alice@" + DOMAIN);
        assertThat(response.getEnvelopeReceiver()).isEqualTo(CA);
        String text = new String(response.getData(), StandardCharsets.ISO_8859_1);
        String unfolded = text.replaceAll("\r\n[ \t]+", " ");
        assertThat(headerValues(text, "From")).containsExactly("alice@" + DOMAIN);           // R3
        assertThat(headerValues(text, "To")).containsExactly(CA);                             // R4
        assertThat(headerValues(text, "In-Reply-To")).containsExactly("<genuine-1@ca.test>"); // R6
        assertThat(headerValues(text, "References")).containsExactly("<genuine-1@ca.test>");
        assertThat(headerValues(text, "Auto-Submitted")).containsExactly("auto-replied");      // R18
        assertThat(headerValues(text, "Content-Type")).containsExactly("text/plain; charset=us-ascii"); // R8
        assertThat(headerValues(text, "Content-Transfer-Encoding")).containsExactly("7bit");   // R14
        assertThat(unfolded).contains("Subject: Re: ACME: " + c.token());                      // R1
        assertThat(text).doesNotContainPattern("(?im)^List-");                                   // R7
        assertThat(text).contains("\r\n\r\n-----BEGIN ACME RESPONSE-----\r\n"                    // R9-R12
                + KeyAuthorization.digest(c.token(), TOKEN_PART2, THUMBPRINT) + "\r\n-----END ACME RESPONSE-----\r\n");
        Dkimpy.Verification v = Dkimpy.verify(response.getData(), DNS.server());               // R15, D6-D8
        assertThat(v.ok()).as(v.json()).isTrue();
        assertThat(v.d()).isEqualTo(DOMAIN);
        assertThat(v.h()).map(String::toLowerCase).containsAll(SignedFields.RESPONSE_REQUIRED.stream()
                .map(String::toLowerCase).toList());

        Http status = webAdmin.send("GET", "/acme-smime/pending-challenges/alice@" + DOMAIN, null);
        String responseId = headerValues(text, "Message-ID").get(0);
        assertThat(status.status()).isEqualTo(200);
        assertThat(status.body()).contains("\"challengeUrl\":\"" + url + "\"", "\"status\":\"answered\"",
                "\"responseMessageId\":\"" + responseId + "\"").doesNotContain(TOKEN_PART2);

        // C22: the same challenge delivered again is not answered again, and reaches the mailbox marked
        OrgJames.send(smtpPort, CA, "alice@" + DOMAIN, challenge);
        assertThat(decisionDelivered("alice", "<genuine-1@ca.test>")).containsExactly("ignored; already-answered");
        assertThat(responsesTo(c.token())).hasSize(1);
        // the answered first copy was consumed (onAnswered=ghost): only the ignored copy is in the mailbox
        assertThat(OrgJames.inbox(imapPort, "alice@" + DOMAIN, PASSWORD)).hasSize(1);

        Http decisions = webAdmin.send("GET", "/acme-smime/decisions?mailbox=alice@" + DOMAIN, null);
        assertThat(decisions.status()).isEqualTo(200);
        assertThat(decisions.body()).contains("\"decision\":\"ignored\",\"codes\":[\"already-answered\"]",
                "\"decision\":\"answered\",\"codes\":[\"answered\"]");
        assertThat(decisions.body().indexOf("already-answered")).isLessThan(decisions.body().indexOf("\"answered\"]"));
    }

    // ---- forged and unexpected variants: no response, delivered with the decision ----

    @Test
    void c15_unsignedChallengeIsDeliveredWithDkimNone() throws Exception {
        TestChallenge c = TestChallenge.builder().to("bob@" + DOMAIN);
        assertThat(sendIgnored("bob", c, c.build())).containsExactly("ignored; dkim-none");
        assertThat(responsesTo(c.token())).isEmpty();
    }

    @Test
    void d4_misalignedSignatureIsDeliveredWithDkimMisaligned() throws Exception {
        TestChallenge c = TestChallenge.builder().to("bob@" + DOMAIN);
        byte[] raw = Dkimpy.sign(c.build(), "evil", "evil.test", evilKey.pkcs1(),
                Dkimpy.headers(SignedFields.toSign(MessageKind.CHALLENGE)));
        assertThat(sendIgnored("bob", c, raw)).singleElement().asString().startsWith("ignored; ").contains("dkim-misaligned");
        assertThat(responsesTo(c.token())).isEmpty();
    }

    @Test
    void d2_shortHeaderListIsDeliveredWithDkimHeaders() throws Exception {
        TestChallenge c = TestChallenge.builder().to("bob@" + DOMAIN);
        byte[] raw = Dkimpy.sign(c.build(), "ca", "ca.test", caKey.pkcs1(), Dkimpy.headers(List.of("From", "To", "Subject")));
        assertThat(sendIgnored("bob", c, raw)).singleElement().asString().contains("dkim-headers");
        assertThat(responsesTo(c.token())).isEmpty();
    }

    @Test
    void c15_tamperedChallengeIsDeliveredWithDkimInvalid() throws Exception {
        TestChallenge c = TestChallenge.builder().to("bob@" + DOMAIN);
        String signed = new String(signedByCa(c), StandardCharsets.ISO_8859_1);
        byte[] raw = signed.replace("If you haven't requested", "If you have requested").getBytes(StandardCharsets.ISO_8859_1);
        assertThat(sendIgnored("bob", c, raw)).singleElement().asString().contains("dkim-invalid");
        assertThat(responsesTo(c.token())).isEmpty();
    }

    @Test
    void c9_genuinelySignedChallengeFromAnotherSenderIsDeliveredWithUnexpectedSender() throws Exception {
        TestChallenge c = TestChallenge.builder().from("acme@evil.test").to("bob@" + DOMAIN);
        byte[] raw = DkimSigner.builder().privateKey(evilKey.pkcs8()).selector("evil").build()
                .sign(c.build(), MessageKind.CHALLENGE);
        assertThat(sendIgnored("bob", c, raw)).containsExactly("ignored; unexpected-sender");
        assertThat(responsesTo(c.token())).isEmpty();
    }

    @Test
    void c20_challengeWithoutRegistrationIsDeliveredWithNoPendingChallenge() throws Exception {
        TestChallenge c = TestChallenge.builder().to("carol@" + DOMAIN);
        assertThat(sendIgnored("carol", c, signedByCa(c))).containsExactly("ignored; no-pending-challenge");
        assertThat(responsesTo(c.token())).isEmpty();
    }

    @Test
    void d16_aCaKeyLookupThatFailsTemporarily_isTriedAgainThroughTheSpool_andAnsweredOnceDnsAnswers() throws Exception {
        String jack = "jack@" + DOMAIN;
        String url = register(jack);
        TestChallenge c = TestChallenge.builder().to(jack);
        byte[] raw = signedByCa(c);

        DNS.dns().stop(); // the CA's DKIM key cannot be looked up now
        try {
            OrgJames.send(smtpPort, CA, jack, raw);
            await().atMost(Duration.ofMinutes(1)).until(() -> webAdmin.send("GET",
                    "/acme-smime/decisions?mailbox=" + jack, null).body().contains("\"codes\":[\"dkim-temperror\"]"));
        } finally {
            DNS.dns().restart();
        }
        assertThat(responsesTo(c.token())).isEmpty();

        // temperrorDelayMinutes is 1 in the tests' configuration
        await().atMost(Duration.ofMinutes(4)).until(() -> responsesTo(c.token()).size() == 1);
        Http status = webAdmin.send("GET", "/acme-smime/pending-challenges/" + jack, null);
        assertThat(status.body()).contains("\"challengeUrl\":\"" + url + "\"", "\"status\":\"answered\"");
        Http decisions = webAdmin.send("GET", "/acme-smime/decisions?mailbox=" + jack, null);
        assertThat(decisions.body()).contains("\"decision\":\"answered\"")
                .doesNotContain("\"decision\":\"ignored\",\"codes\":[\"dkim-temperror\",");
        // answered (and consumed, onAnswered=ghost) by the copy that went round: no copy is left waiting in
        // James's queue and none was delivered
        Http queued = webAdmin.send("GET", "/mailQueues/spool/mails", null);
        assertThat(queued.status()).as(queued.body()).isEqualTo(200);
        assertThat(queued.body()).doesNotContain(jack);
        assertThat(OrgJames.inbox(imapPort, jack, PASSWORD)).isEmpty();
        assertThat(responsesTo(c.token())).hasSize(1);
    }

    @Test
    void aPendingChallengeIsRegisteredForAUserOfThisServerOnly() throws Exception {
        String body = "{\"from\":\"" + CA + "\",\"tokenPart2\":\"" + TOKEN_PART2 + "\",\"accountThumbprint\":\""
                + THUMBPRINT + "\",\"challengeUrl\":\"https://ca.test/acme/chall/nobody\",\"expires\":\""
                + Instant.now().plus(Duration.ofHours(1)) + "\"}";

        Http put = webAdmin.send("PUT", "/acme-smime/pending-challenges/nobody@" + DOMAIN, body);

        assertThat(put.status()).isEqualTo(404);
        assertThat(put.body()).contains("nobody@" + DOMAIN + " is not a user of this server");
        Http status = webAdmin.send("GET", "/acme-smime/pending-challenges/nobody@" + DOMAIN, null);
        assertThat(status.status()).as("nothing was registered").isEqualTo(404);
    }

    @Test
    void c20_expiredChallengeIsDeliveredWithExpired() throws Exception {
        register("dave@" + DOMAIN, CA, Instant.now().plusSeconds(5)); // 5 s: the PUT must still be in the future when handled
        await().atMost(Duration.ofSeconds(30)).until(() -> webAdmin.send("GET",
                "/acme-smime/pending-challenges/dave@" + DOMAIN, null).body().contains("\"status\":\"expired\""));
        TestChallenge c = TestChallenge.builder().to("dave@" + DOMAIN);
        assertThat(sendIgnored("dave", c, signedByCa(c))).containsExactly("ignored; expired");
        assertThat(responsesTo(c.token())).isEmpty();
    }

    @Test
    void c21_replyPrefixIsDeliveredWithReplyPrefix() throws Exception {
        TestChallenge c = TestChallenge.builder().to("bob@" + DOMAIN);
        c.subject("Re: ACME: " + c.token());
        assertThat(sendIgnored("bob", c, signedByCa(c))).containsExactly("ignored; reply-prefix");
        assertThat(responsesTo(c.token())).isEmpty();
    }

    @Test
    void c10_challengeReachingTheMailboxOnlyByCcIsDeliveredWithTo() throws Exception {
        TestChallenge c = TestChallenge.builder().to("frank@" + DOMAIN).cc("bob@" + DOMAIN);
        byte[] raw = signedByCa(c);
        OrgJames.send(smtpPort, CA, "bob@" + DOMAIN, raw);
        assertThat(decisionDelivered("bob", messageIdOf(raw))).containsExactly("ignored; to");
        assertThat(responsesTo(c.token())).isEmpty();
    }

    @Test
    void nullEnvelopeSenderIsDeliveredWithNullSender() throws Exception {
        register("gina@" + DOMAIN);
        TestChallenge c = TestChallenge.builder().to("gina@" + DOMAIN);
        byte[] raw = signedByCa(c);
        OrgJames.send(smtpPort, "", "gina@" + DOMAIN, raw);
        assertThat(decisionDelivered("gina", messageIdOf(raw))).containsExactly("ignored; null-sender");
        assertThat(responsesTo(c.token())).isEmpty();
    }

    @Test
    void forgedDecisionHeaderFromTheSenderIsReplaced() throws Exception {
        TestChallenge c = TestChallenge.builder().to("carol@" + DOMAIN);
        byte[] raw = ("X-Acme-Smime-Decision: answered\r\n" + new String(c.build(), StandardCharsets.ISO_8859_1))
                .getBytes(StandardCharsets.ISO_8859_1);
        OrgJames.send(smtpPort, CA, "carol@" + DOMAIN, raw);
        assertThat(decisionDelivered("carol", messageIdOf(raw))).containsExactly("ignored; dkim-none,no-pending-challenge");
    }

    @Test
    void anAutoGeneratedMailThatIsNoChallengeIsDeliveredWithoutDecision() throws Exception {
        byte[] raw = TestChallenge.builder().from("cron@elsewhere.test").to("carol@" + DOMAIN)
                .subject("Nightly backup: OK").build(); // Auto-Submitted: auto-generated, so the matcher takes it
        OrgJames.send(smtpPort, "cron@elsewhere.test", "carol@" + DOMAIN, raw);
        assertThat(decisionDelivered("carol", messageIdOf(raw))).isEmpty();
    }

    @Test
    void challengeForARemoteRecipientIsRelayedNotAnswered() throws Exception {
        TestChallenge c = TestChallenge.builder().to("alice@elsewhere.test");
        OrgJames.send(smtpPort, CA, "alice@elsewhere.test", signedByCa(c));

        // the challenge itself leaves by the gateway (relay from loopback is allowed), untouched
        await().atMost(Duration.ofMinutes(1)).until(() -> OrgJames.received(sink).stream().anyMatch(m ->
                m.getEnvelopeReceiver().equals("alice@elsewhere.test")));
        WiserMessage relayed = OrgJames.received(sink).stream()
                .filter(m -> m.getEnvelopeReceiver().equals("alice@elsewhere.test")).findFirst().orElseThrow();
        assertThat(new String(relayed.getData(), StandardCharsets.ISO_8859_1)).doesNotContain("X-Acme-Smime-Decision");
        assertThat(responsesTo(c.token())).isEmpty();
    }

    @Test
    void rateLimitPerMailboxStopsTheThirdResponseWithinAnHour() throws Exception {
        for (int i = 0; i < 2; i++) {
            register("erin@" + DOMAIN);
            TestChallenge c = TestChallenge.builder().to("erin@" + DOMAIN);
            OrgJames.send(smtpPort, CA, "erin@" + DOMAIN, signedByCa(c));
            await().atMost(Duration.ofMinutes(1)).until(() -> responsesTo(c.token()).size() == 1);
            await().atMost(Duration.ofMinutes(1)).until(() -> webAdmin.send("GET",
                    "/acme-smime/pending-challenges/erin@" + DOMAIN, null).body().startsWith("[{\"challengeUrl\":\"")
                    && !webAdmin.send("GET", "/acme-smime/pending-challenges/erin@" + DOMAIN, null)
                    .body().contains("\"status\":\"pending\""));
        }
        register("erin@" + DOMAIN);
        TestChallenge third = TestChallenge.builder().to("erin@" + DOMAIN);
        assertThat(sendIgnored("erin", third, signedByCa(third))).containsExactly("ignored; rate-limited-mailbox");
        assertThat(responsesTo(third.token())).isEmpty();
    }

    // ---- a failure inside the plugin keeps the mail ----

    @Test
    void aMailboxDomainWithoutDkimKeySendsTheChallengeToTheErrorRepository() throws Exception {
        register("ivan@nokey.example");
        TestChallenge c = TestChallenge.builder().to("ivan@nokey.example");
        MailRepositoryProbeImpl repositories = james.getProbe(MailRepositoryProbeImpl.class);
        long before = repositories.getRepositoryMailCount(ERROR_REPOSITORY);

        OrgJames.send(smtpPort, CA, "ivan@nokey.example", signedByCa(c));

        await().atMost(Duration.ofMinutes(1)).until(() -> repositories.getRepositoryMailCount(ERROR_REPOSITORY) == before + 1);
        // nothing goes back to the CA, not even a bounce (it would be a "Re: ACME:" auto-reply, C18)
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10)).until(() -> OrgJames.received(sink).stream()
                .noneMatch(m -> new String(m.getData(), StandardCharsets.ISO_8859_1).contains(c.token())));
        Http status = webAdmin.send("GET", "/acme-smime/pending-challenges/ivan@nokey.example", null);
        assertThat(status.body()).contains("\"status\":\"pending\""); // still answerable once a key is installed
    }

    // ---- WebAdmin validation ----

    @Test
    void webAdminRejectsInvalidRegistrationsNamingTheField() throws Exception {
        String valid = "\"tokenPart2\":\"" + TOKEN_PART2 + "\",\"accountThumbprint\":\"" + THUMBPRINT
                + "\",\"challengeUrl\":\"https://ca.test/acme/chall/x\",\"expires\":\"" + Instant.now().plusSeconds(3600) + "\"";
        Http noFrom = webAdmin.send("PUT", "/acme-smime/pending-challenges/hugo@" + DOMAIN, "{" + valid + "}");
        assertThat(noFrom.status()).isEqualTo(400);
        assertThat(noFrom.body()).contains("\"type\":\"InvalidArgument\"", "'from' is required");

        Http badThumb = webAdmin.send("PUT", "/acme-smime/pending-challenges/hugo@" + DOMAIN,
                "{\"from\":\"" + CA + "\"," + valid.replace(THUMBPRINT, "short") + "}");
        assertThat(badThumb.status()).isEqualTo(400);
        assertThat(badThumb.body()).contains("'accountThumbprint'");

        Http past = webAdmin.send("PUT", "/acme-smime/pending-challenges/hugo@" + DOMAIN,
                "{\"from\":\"" + CA + "\"," + valid.replaceAll("\"expires\":\"[^\"]*\"", "\"expires\":\"2020-01-01T00:00:00Z\"") + "}");
        assertThat(past.status()).isEqualTo(400);
        assertThat(past.body()).contains("'expires' must be in the future");

        Http badMailbox = webAdmin.send("GET", "/acme-smime/pending-challenges/not-a-mailbox", null);
        assertThat(badMailbox.status()).isEqualTo(400);

        Http ok = webAdmin.send("PUT", "/acme-smime/pending-challenges/hugo@" + DOMAIN,
                "{\"from\":\"" + CA + "\"," + valid + "}");
        assertThat(ok.status()).as(ok.body()).isEqualTo(204);
        Http again = webAdmin.send("PUT", "/acme-smime/pending-challenges/hugo@" + DOMAIN,
                "{\"from\":\"" + CA + "\"," + valid + "}");
        assertThat(again.status()).isEqualTo(409);

        Http none = webAdmin.send("GET", "/acme-smime/pending-challenges/nobody@" + DOMAIN, null);
        assertThat(none.status()).isEqualTo(404);
        Http noMailbox = webAdmin.send("GET", "/acme-smime/decisions", null);
        assertThat(noMailbox.status()).isEqualTo(400);
        assertThat(noMailbox.body()).contains("'mailbox' is required");
    }
}
