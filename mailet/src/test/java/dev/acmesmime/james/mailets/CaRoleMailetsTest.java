package dev.acmesmime.james.mailets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import javax.mail.MessagingException;
import javax.mail.Session;
import javax.mail.internet.MimeMessage;

import org.apache.james.core.MailAddress;
import org.apache.mailet.Mail;
import org.apache.mailet.base.test.FakeMail;
import org.apache.mailet.base.test.FakeMailContext;
import org.apache.mailet.base.test.FakeMailetConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import dev.acmesmime.dkim.SignedFields;
import dev.acmesmime.ca.forward.Hmac;
import dev.acmesmime.ca.forward.NativeSignatureVerifier;
import dev.acmesmime.james.runtime.AcmeSmimeRuntime;
import dev.acmesmime.store.AuditQuery;
import dev.acmesmime.store.IssuedChallenge;
import dev.acmesmime.store.SecretBytes;
import dev.acmesmime.testing.Dkimpy;
import dev.acmesmime.testing.DkimDns;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;

/**
 * {@link AcmeChallengeSigner} and {@link AcmeResponseForwarder} with James's fake mail objects but
 * real everything else: an H2 store, dnsmasq serving the DKIM keys, Debian's dkimpy signing and
 * verifying, and okhttp's MockWebServer on loopback as the ACME server.
 */
class CaRoleMailetsTest {
    static final String SEL = "s1";
    static final String CA_FROM = "acme+t1@ca.test";
    static final String USER = "alice@example.test";
    static final String TOKEN1 = "LgYemJLy3F1LDkiJrdIGbEzyFJyOyf6vBdyZ1TG3sMEa";
    static final String DIGEST = "LoqXcYV8q5ONbJQxbmR7SCTNo3tiAXDfowyjxAjEuX0";
    static final String SECRET = "mailet-test-secret";

    static final String ED_SEL = "s1ed";

    @RegisterExtension
    static final DkimDns DNS = DkimDns.keys(k -> k.rsa("ca", 2048).rsa("user", 2048).ed25519("ca-ed").ed25519("user-ed"))
            .publish(SEL, "ca.test", "ca").publish(SEL, "example.test", "user").publish(SEL, "evil.test", "user")
            .publish(ED_SEL, "ca.test", "ca-ed").publish(ED_SEL, "example.test", "user-ed");

    @TempDir
    Path home;
    AcmeSmimeRuntime runtime;
    MockWebServer acme;
    FakeMailContext context;

    @BeforeEach
    void setUp() throws Exception {
        acme = new MockWebServer();
        acme.start(InetAddress.getLoopbackAddress(), 0);
        Files.createDirectories(home.resolve("conf"));
        Files.writeString(home.resolve("conf/forward.secret"), SECRET + "\n");
        Files.copy(DNS.key("ca").pkcs8(), home.resolve("conf/ca.pem"));
        Files.writeString(home.resolve(AcmeSmimeRuntime.SETTINGS_FILE), String.join("\n",
                "forward.url=http://127.0.0.1:" + acme.getPort() + "/acme/mail-result",
                "forward.contract=native",
                "forward.secretFile=conf/forward.secret",
                "forward.keyId=k1",
                "forward.pollMillis=100",
                "forward.retry.initialSeconds=1",
                "forward.retry.maxSeconds=2", ""));
        runtime = new AcmeSmimeRuntime(home, Clock.systemUTC());
        context = FakeMailContext.defaultContext();
    }

    @AfterEach
    void tearDown() throws Exception {
        runtime.close();
        acme.shutdown();
    }

    AcmeChallengeSigner signer(String... params) throws MessagingException {
        AcmeChallengeSigner m = new AcmeChallengeSigner(runtime);
        FakeMailetConfig.Builder b = FakeMailetConfig.builder().mailetName("AcmeChallengeSigner").mailetContext(context)
                .setProperty(AcmeChallengeSigner.SELECTOR, SEL)
                .setProperty(AcmeChallengeSigner.PRIVATE_KEY_FILE, "conf/ca.pem");
        for (int i = 0; i < params.length; i += 2) {
            b.setProperty(params[i], params[i + 1]);
        }
        m.init(b.build());
        return m;
    }

    AcmeResponseForwarder forwarder(String... params) throws MessagingException {
        AcmeResponseForwarder m = new AcmeResponseForwarder(runtime);
        FakeMailetConfig.Builder b = FakeMailetConfig.builder().mailetName("AcmeResponseForwarder")
                .mailetContext(context).setProperty(AcmeResponseForwarder.DNS_SERVER, DNS.server());
        for (int i = 0; i < params.length; i += 2) {
            b.setProperty(params[i], params[i + 1]);
        }
        m.init(b.build());
        return m;
    }

    /** Signs challenge c1 to {@link #USER} (recording its facts), then a response to it, DKIM-signed by dkimpy for {@code domain}. */
    byte[] signChallengeC1ThenAResponse(String domain) throws Exception {
        signer().service(mail(challenge("Auto-Submitted: auto-generated; type=acme\n", TOKEN1, "c1")
                .getBytes(StandardCharsets.US_ASCII), CA_FROM, USER));
        return Dkimpy.sign(response("<c1@ca.test>").getBytes(StandardCharsets.US_ASCII), SEL, domain, DNS.key("user").pkcs1(),
                Dkimpy.headers(SignedFields.RESPONSE_REQUIRED));
    }

    static String challenge(String extraHeaders, String token, String id) {
        return ("From: ACME CA <" + CA_FROM + ">\n"
                + "To: " + USER + "\n"
                + "Subject: ACME: " + token + "\n"
                + "Date: Sat, 28 Nov 2026 10:00:00 +0000\n"
                + "Message-ID: <" + id + "@ca.test>\n"
                + extraHeaders
                + "MIME-Version: 1.0\n"
                + "Content-Type: text/plain; charset=us-ascii\n"
                + "Content-Transfer-Encoding: 7bit\n"
                + "\n"
                + "This is an automatically generated ACME challenge for email address\n"
                + "\"" + USER + "\". If you haven't requested an S/MIME certificate\n"
                + "with this email address, you can ignore this message.\n").replace("\n", "\r\n");
    }

    static String response(String inReplyTo) {
        return ("From: " + USER + "\n"
                + "To: " + CA_FROM + "\n"
                + "Subject: Re: ACME: " + TOKEN1 + "\n"
                + "Date: Sat, 28 Nov 2026 10:01:00 +0000\n"
                + "Message-ID: <response-1@example.test>\n"
                + "In-Reply-To: " + inReplyTo + "\n"
                + "MIME-Version: 1.0\n"
                + "Content-Type: text/plain; charset=us-ascii\n"
                + "Content-Transfer-Encoding: 7bit\n"
                + "\n"
                + "-----BEGIN ACME RESPONSE-----\n" + DIGEST + "\n-----END ACME RESPONSE-----\n").replace("\n", "\r\n");
    }

    static FakeMail mail(byte[] raw, String sender, String recipient) throws Exception {
        MimeMessage m = new MimeMessage(Session.getDefaultInstance(new Properties()), new ByteArrayInputStream(raw));
        return FakeMail.builder().name("m-" + System.nanoTime()).mimeMessage(m).sender(new MailAddress(sender))
                .recipient(new MailAddress(recipient)).remoteAddr("192.0.2.7").build();
    }

    static byte[] bytes(Mail mail) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        mail.getMessage().writeTo(out);
        return out.toByteArray();
    }

    @Test
    void aWellFormedChallenge_leavesSignedWithTheD2List_dkimpyVerifiesIt_andItsFactsAreRecorded() throws Exception {
        FakeMail m = mail(challenge("Auto-Submitted: auto-generated; type=acme\n", TOKEN1, "c1")
                .getBytes(StandardCharsets.US_ASCII), CA_FROM, USER);

        signer().service(m);

        assertThat(m.getState()).isNotEqualTo(Mail.GHOST);
        Dkimpy.Verification v = Dkimpy.verify(bytes(m), DNS.server());
        assertThat(v.ok()).as(v.json()).isTrue();
        assertThat(v.d()).isEqualTo("ca.test");
        assertThat(v.h()).map(String::toLowerCase).contains("from", "to", "subject", "auto-submitted", "message-id",
                "date", "reply-to");
        IssuedChallenge c = runtime.store().issuedChallenges().find("<c1@ca.test>").orElseThrow();
        assertThat(c.tokenPart1()).isEqualTo(TOKEN1);
        assertThat(c.identifier()).isEqualTo(USER);
        assertThat(c.tag()).contains("t1");
        assertThat(context.getSentMails()).isEmpty();
    }

    private void assertHeld(FakeMail m, String code) throws Exception {
        assertThat(m.getState()).isEqualTo(Mail.GHOST);
        assertThat(context.getSentMails()).singleElement().satisfies(s -> {
            assertThat(s.getState()).isEqualTo(AcmeChallengeSigner.DEFAULT_HELD_PROCESSOR);
            assertThat(s.getMsg().getHeader(AcmeChallengeSigner.HELD_HEADER, null)).contains(code);
            assertThat(s.getMsg().getHeader("DKIM-Signature")).as("not signed").isNull();
        });
        assertThat(runtime.store().audit().find(AuditQuery.builder().build()))
                .anySatisfy(a -> {
                    assertThat(a.event()).isEqualTo("challenge-held");
                    assertThat(a.outcome()).contains(code);
                });
    }

    @Test
    void c12_aChallengeWithoutAutoSubmitted_isHeldWithItsCode_andNotSent() throws Exception {
        FakeMail m = mail(challenge("", TOKEN1, "c2").getBytes(StandardCharsets.US_ASCII), CA_FROM, USER);
        signer().service(m);
        assertHeld(m, "auto-submitted");
        assertThat(runtime.store().issuedChallenges().find("<c2@ca.test>")).isEmpty();
    }

    @Test
    void c4_aChallengeWithA64BitToken_isHeldAsTokenTooShort() throws Exception {
        FakeMail m = mail(challenge("Auto-Submitted: auto-generated\n", "AAAAAAAAAAA", "c3")
                .getBytes(StandardCharsets.US_ASCII), CA_FROM, USER);
        signer().service(m);
        assertHeld(m, "token-too-short");
    }

    @Test
    void challengesBeyondThePerRecipientLimit_areHeldAsRateLimited() throws Exception {
        AcmeChallengeSigner s = signer(AcmeChallengeSigner.RECIPIENT_LIMIT, "2");
        for (int i = 0; i < 2; i++) {
            FakeMail ok = mail(challenge("Auto-Submitted: auto-generated\n", TOKEN1.substring(0, 43) + i, "r" + i)
                    .getBytes(StandardCharsets.US_ASCII), CA_FROM, USER);
            s.service(ok);
            assertThat(ok.getState()).isNotEqualTo(Mail.GHOST);
        }
        FakeMail third = mail(challenge("Auto-Submitted: auto-generated\n", TOKEN1, "r2")
                .getBytes(StandardCharsets.US_ASCII), CA_FROM, USER);
        s.service(third);
        assertHeld(third, "rate-limit-recipient");
    }

    @Test
    void signerParameters_areCheckedAtInit_namingTheParameter() {
        assertThatThrownBy(() -> {
            AcmeChallengeSigner m = new AcmeChallengeSigner(runtime);
            m.init(FakeMailetConfig.builder().mailetName("s").setProperty(AcmeChallengeSigner.PRIVATE_KEY_FILE, "x")
                    .build());
        }).isInstanceOf(MessagingException.class).hasMessageContaining("'selector'");
        assertThatThrownBy(() -> signer(AcmeChallengeSigner.PRIVATE_KEY_FILE, "conf/missing.pem"))
                .isInstanceOf(MessagingException.class).hasMessageContaining("'privateKeyFile'");
        assertThatThrownBy(() -> signer(AcmeChallengeSigner.VALIDITY_HOURS, "25"))
                .isInstanceOf(MessagingException.class).hasMessageContaining("'validityHours'");
    }

    @Test
    void rfc8463_withAnEd25519KeyNextToRsa_eachChallengeCarriesBoth_andDkimpyVerifiesEach() throws Exception {
        Files.copy(DNS.key("ca-ed").pkcs8(), home.resolve("conf/ca-ed.pem"));
        FakeMail m = mail(challenge("Auto-Submitted: auto-generated; type=acme\n", TOKEN1, "c1")
                .getBytes(StandardCharsets.US_ASCII), CA_FROM, USER);

        signer(AcmeChallengeSigner.ED25519_SELECTOR, ED_SEL, AcmeChallengeSigner.ED25519_PRIVATE_KEY_FILE,
                "conf/ca-ed.pem").service(m);

        Dkimpy.Verification rsa = Dkimpy.verify(bytes(m), DNS.server(), 0);
        Dkimpy.Verification ed = Dkimpy.verify(bytes(m), DNS.server(), 1);
        assertThat(rsa.ok()).as(rsa.json()).isTrue();
        assertThat(rsa.s()).isEqualTo(SEL);
        assertThat(ed.ok()).as(ed.json()).isTrue();
        assertThat(ed.s()).isEqualTo(ED_SEL);
        assertThat(ed.keysize()).isEqualTo(256);
        assertThat(ed.h()).map(String::toLowerCase).contains("from", "to", "subject", "auto-submitted", "message-id");
        assertThatThrownBy(() -> signer(AcmeChallengeSigner.ED25519_SELECTOR, ED_SEL))
                .isInstanceOf(MessagingException.class).hasMessageContaining("give both or neither");
        assertThatThrownBy(() -> signer(AcmeChallengeSigner.ED25519_SELECTOR, ED_SEL,
                AcmeChallengeSigner.ED25519_PRIVATE_KEY_FILE, "conf/ca.pem"))
                .isInstanceOf(MessagingException.class).hasMessageContaining("'ed25519PrivateKeyFile'")
                .hasMessageContaining("must be Ed25519");
    }

    @Test
    void rfc8463_aResponseSignedWithEd25519Alone_isForwarded() throws Exception {
        acme.enqueue(new MockResponse().setResponseCode(200).setBody("{\"outcome\":\"valid\"}"));
        signer().service(mail(challenge("Auto-Submitted: auto-generated; type=acme\n", TOKEN1, "c1")
                .getBytes(StandardCharsets.US_ASCII), CA_FROM, USER));
        byte[] signed = Dkimpy.sign(response("<c1@ca.test>").getBytes(StandardCharsets.US_ASCII), ED_SEL, "example.test",
                DNS.key("user-ed").dkimpy(), "--alg", "ed25519-sha256", "--headers",
                String.join(":", SignedFields.RESPONSE_REQUIRED));
        FakeMail r = mail(signed, USER, CA_FROM);

        forwarder().service(r);

        assertThat(r.getAttribute(AcmeResponseForwarder.DISPOSITION_ATTRIBUTE).orElseThrow().getValue().value())
                .isEqualTo("forwarded");
        RecordedRequest req = acme.takeRequest(60, TimeUnit.SECONDS);
        assertThat(req).isNotNull();
        assertThat(req.getBody().readUtf8()).contains("\"digest\":\"" + DIGEST + "\"", "ed25519-sha256");
    }

    @Test
    void anAuthenticResponse_isGhosted_andReachesTheAcmeServerOnce_withAValidHmac() throws Exception {
        acme.enqueue(new MockResponse().setResponseCode(200).setBody("{\"outcome\":\"valid\"}"));
        byte[] signed = signChallengeC1ThenAResponse("example.test");
        FakeMail r = mail(signed, USER, CA_FROM);

        forwarder().service(r);

        assertThat(r.getState()).isEqualTo(Mail.GHOST);
        assertThat(r.getAttribute(AcmeResponseForwarder.DISPOSITION_ATTRIBUTE).orElseThrow().getValue().value())
                .isEqualTo("forwarded");
        RecordedRequest req = acme.takeRequest(60, TimeUnit.SECONDS);
        assertThat(req).isNotNull();
        byte[] body = req.getBody().readByteArray();
        NativeSignatureVerifier verifier = NativeSignatureVerifier.builder()
                .key("k1", SecretBytes.of(SECRET.getBytes(StandardCharsets.UTF_8))).build();
        assertThat(verifier.verify(req.getHeader(Hmac.KEY_ID_HEADER), req.getHeader(Hmac.TIMESTAMP_HEADER),
                req.getHeader(Hmac.SIGNATURE_HEADER), body)).isEqualTo(NativeSignatureVerifier.Result.OK);
        assertThat(new String(body, StandardCharsets.UTF_8)).contains("\"from\":\"" + USER + "\"")
                .contains("\"digest\":\"" + DIGEST + "\"");
        assertThat(context.getSentMails()).as("no bounce, no copy").isEmpty();

        // the same response delivered again changes nothing
        FakeMail again = mail(signed, USER, CA_FROM);
        forwarder().service(again);
        assertThat(again.getAttribute(AcmeResponseForwarder.DISPOSITION_ATTRIBUTE).orElseThrow().getValue().value())
                .isEqualTo("duplicate");
        // the worker marks the item done after the server has answered: wait for that, not for the request
        await().atMost(java.time.Duration.ofSeconds(60))
                .untilAsserted(() -> assertThat(runtime.store().outbox().listPending(10)).isEmpty());
        assertThat(acme.getRequestCount()).isEqualTo(1);
    }

    @Test
    void aForgedResponse_isGhosted_neverQueued_neverBounced_andCopiedToTheInvalidProcessor() throws Exception {
        byte[] forged = signChallengeC1ThenAResponse("evil.test");
        FakeMail r = mail(forged, "x@evil.test", CA_FROM);

        forwarder(AcmeResponseForwarder.INVALID_PROCESSOR, "acme-invalid").service(r);

        assertThat(r.getState()).isEqualTo(Mail.GHOST);
        assertThat(r.getAttribute(AcmeResponseForwarder.OUTCOME_ATTRIBUTE).orElseThrow().getValue().value())
                .isEqualTo("dkim-misaligned");
        assertThat(runtime.store().outbox().listPending(10)).isEmpty();
        assertThat(context.getSentMails()).singleElement()
                .satisfies(s -> assertThat(s.getState()).isEqualTo("acme-invalid"));
        assertThat(runtime.store().issuedChallenges().find("<c1@ca.test>").orElseThrow().consumedAt()).isEmpty();
    }

    @Test
    void d16_aKeyLookupTemperror_isRetriedLater_thenKeptInTheInvalidProcessor_neverLost() throws Exception {
        byte[] signed = signChallengeC1ThenAResponse("example.test");
        // bound and never answering for the whole test: a port closed after a probe could be taken by another
        // process's DNS server meanwhile (CI once got an answer there: dkim-invalid instead of temperror)
        try (java.net.DatagramSocket silent = new java.net.DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            temperrorIsRetriedThenKept(signed, silent.getLocalPort());
        }
    }

    private void temperrorIsRetriedThenKept(byte[] signed, int silent) throws Exception {
        AcmeResponseForwarder forwarder = forwarder(AcmeResponseForwarder.DNS_SERVER, "127.0.0.1:" + silent,
                AcmeResponseForwarder.TEMPERROR_RETRIES, "1", AcmeResponseForwarder.TEMPERROR_DELAY_MINUTES, "7",
                AcmeResponseForwarder.INVALID_PROCESSOR, "acme-invalid");

        FakeMail first = mail(signed, USER, CA_FROM);
        forwarder.service(first);

        assertThat(first.getState()).isEqualTo(Mail.GHOST);
        assertThat(first.getAttribute(AcmeResponseForwarder.OUTCOME_ATTRIBUTE).orElseThrow().getValue().value())
                .isEqualTo("temperror");
        FakeMailContext.SentMail retry = context.getSentMails().get(0);
        assertThat(context.getSentMails()).hasSize(1);
        assertThat(retry.getDelay()).contains(new FakeMailContext.Delay(7, TimeUnit.MINUTES));
        assertThat(retry.getState()).as("back through the same pipeline").isEqualTo(Mail.DEFAULT);
        assertThat(retry.getAttributes().get(AcmeResponseForwarder.RETRIES_ATTRIBUTE).getValue().value()).isEqualTo(1);
        assertThat(runtime.store().issuedChallenges().find("<c1@ca.test>").orElseThrow().consumedAt())
                .as("a temporary failure does not use up the challenge").isEmpty();

        FakeMail second = mail(bytes(first), USER, CA_FROM);
        second.setAttribute(retry.getAttributes().get(AcmeResponseForwarder.RETRIES_ATTRIBUTE));
        forwarder.service(second);

        assertThat(second.getState()).isEqualTo(Mail.GHOST);
        assertThat(context.getSentMails()).hasSize(2);
        assertThat(context.getSentMails().get(1).getState()).as("retries used up: kept for an admin")
                .isEqualTo("acme-invalid");
        assertThat(runtime.store().outbox().listPending(10)).isEmpty();
        assertThat(acme.getRequestCount()).isZero();
    }

    @Test
    void forwarderParameters_areCheckedAtInit_namingTheParameter() {
        assertThatThrownBy(() -> forwarder(AcmeResponseForwarder.VALIDITY_HOURS, "0"))
                .isInstanceOf(MessagingException.class).hasMessageContaining("'validityHours'");
        assertThatThrownBy(() -> forwarder(AcmeResponseForwarder.LENIENCY, "anything-goes"))
                .isInstanceOf(MessagingException.class).hasMessageContaining("'leniency'");
        assertThatThrownBy(() -> forwarder("unknownParameter", "1")).isInstanceOf(MessagingException.class)
                .hasMessageContaining("unknownParameter");
    }

    @Test
    void withoutAForwardUrl_theForwarderRefusesToStart_namingTheSetting() throws Exception {
        Files.writeString(home.resolve(AcmeSmimeRuntime.SETTINGS_FILE), "forward.contract=native\n");
        runtime.close();
        runtime = new AcmeSmimeRuntime(home, Clock.systemUTC());
        assertThatThrownBy(() -> forwarder()).isInstanceOf(MessagingException.class).hasMessageContaining("forward.url");
    }
}
