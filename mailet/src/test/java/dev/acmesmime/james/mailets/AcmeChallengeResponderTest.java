package dev.acmesmime.james.mailets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import javax.mail.MessagingException;
import javax.mail.Session;
import javax.mail.internet.MimeMessage;

import org.apache.james.core.MailAddress;
import org.apache.james.mailrepository.api.MailKey;
import org.apache.james.mailrepository.api.MailRepository;
import org.apache.james.mailrepository.api.MailRepositoryStore;
import org.apache.mailet.AttributeName;
import org.apache.mailet.Mail;
import org.apache.mailet.MailetContext;
import org.apache.mailet.base.test.FakeMail;
import org.apache.mailet.base.test.FakeMailContext;
import org.apache.mailet.base.test.FakeMailetConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import dev.acmesmime.dkim.DkimSigner;
import dev.acmesmime.james.runtime.AcmeSmimeRuntime;
import dev.acmesmime.rfc8823.MessageKind;
import dev.acmesmime.store.ChallengeStatus;
import dev.acmesmime.store.Enrolment;
import dev.acmesmime.store.EnrolmentStep;
import dev.acmesmime.store.PendingChallenge;
import dev.acmesmime.testing.DkimDns;
import dev.acmesmime.testing.FreePorts;
import dev.acmesmime.testing.TestChallenge;
import dev.acmesmime.testing.TestKeys;

/**
 * How {@link AcmeChallengeResponder} routes mail: FakeMail and a FakeMailContext (local domain org.test),
 * a real H2 store, DKIM keys from a real dnsmasq. The decisions themselves are core's and are covered there
 * and in the James tests.
 */
@Timeout(120) // hang guard only
class AcmeChallengeResponderTest {

    static final String CA = "acme@ca.test";
    static final String ALICE = "alice@org.test";
    static final String BOB = "bob@org.test";

    @RegisterExtension
    static final DkimDns DNS = DkimDns.keys(k -> k.rsa("ca", 2048).rsa("org", 2048))
            .publish("ca", "ca.test", "ca").publish("org", "org.test", "org");
    static TestKeys caKey;
    /** The mailet's DKIM key directory: the organisation's key under the name the mailet looks for. */
    static Path keys;

    @TempDir
    Path home;
    AcmeSmimeRuntime runtime;
    FakeMailContext fake;
    final AtomicBoolean spoolRefuses = new AtomicBoolean();
    MailetContext context;
    List<Mail> repository;
    AcmeChallengeResponder testee;
    final AtomicInteger urls = new AtomicInteger();

    @BeforeAll
    static void keys() throws Exception {
        caKey = DNS.key("ca");
        keys = DNS.dir();
        Files.copy(DNS.key("org").pkcs8(), keys.resolve("org._domainkey.org.test.pem"));
    }

    @BeforeEach
    void setUp() {
        runtime = new AcmeSmimeRuntime(home, Clock.systemUTC());
        fake = FakeMailContext.defaultContext();
        // FakeMailContext knows no local mailbox: org.test is this server's domain here
        context = (MailetContext) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {MailetContext.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("sendMail") && spoolRefuses.get()) {
                        throw new MessagingException("spool refused (test)");
                    }
                    if (method.getName().equals("isLocalEmail")) {
                        return ((MailAddress) args[0]).getDomain().asString().equals("org.test");
                    }
                    try {
                        return method.invoke(fake, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        repository = new ArrayList<>();
    }

    @AfterEach
    void tearDown() {
        runtime.close();
    }

    void init(String... parameters) throws MessagingException {
        MailRepository repo = (MailRepository) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {MailRepository.class}, (proxy, method, args) -> {
                    if (method.getName().equals("store")) {
                        Mail m = (Mail) args[0];
                        repository.add(m.duplicate());
                        return MailKey.forMail(m);
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
        MailRepositoryStore store = (MailRepositoryStore) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {MailRepositoryStore.class}, (proxy, method, args) -> {
                    if (method.getName().equals("select")) {
                        return repo;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
        testee = new AcmeChallengeResponder(runtime, store);
        FakeMailetConfig.Builder config = FakeMailetConfig.builder().mailetName("responder").mailetContext(context)
                .setProperty(AcmeChallengeResponder.DKIM_KEY_DIRECTORY, keys.toString())
                .setProperty(AcmeChallengeResponder.DNS_SERVER, DNS.server())
                .setProperty(AcmeChallengeResponder.SMIME_TRUST_ANCHORS, "none");
        for (int i = 0; i < parameters.length; i += 2) {
            config.setProperty(parameters[i], parameters[i + 1]);
        }
        testee.init(config.build());
    }

    void register(String mailbox) {
        runtime.store().pendingChallenges().register(new PendingChallenge.Registration(
                URI.create("https://ca.test/chall/" + urls.incrementAndGet()), mailbox, CA, "DGyRejmCefe7v4NfDGDKfA",
                "LPJNul-wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ", Instant.now().plus(Duration.ofHours(1))));
    }

    static byte[] signed(TestChallenge c) throws Exception {
        return DkimSigner.builder().privateKey(caKey.pkcs8()).selector("ca").build().sign(c.build(), MessageKind.CHALLENGE);
    }

    static Mail mail(byte[] raw, String sender, String... recipients) throws Exception {
        FakeMail.Builder b = FakeMail.builder().name("challenge").state("local-delivery")
                .mimeMessage(new MimeMessage(Session.getDefaultInstance(new Properties()), new ByteArrayInputStream(raw)));
        if (sender != null) {
            b.sender(sender);
        }
        for (String r : recipients) {
            b.recipient(r);
        }
        return b.build();
    }

    static String decision(Mail mail) throws MessagingException {
        return mail.getMessage().getHeader(AcmeChallengeResponder.DECISION_HEADER, null);
    }

    static String text(MimeMessage message) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        message.writeTo(out);
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    @Test
    void shouldGhostAnAnsweredChallengeAndSendOneResponseFromTheMailbox() throws Exception {
        init();
        register(ALICE);
        Mail mail = mail(signed(TestChallenge.builder().to(ALICE)), CA, ALICE);

        testee.service(mail);

        assertThat(mail.getState()).isEqualTo(Mail.GHOST);
        assertThat(fake.getSentMails()).singleElement().satisfies(sent -> {
            assertThat(sent.getSender().asString()).isEqualTo(ALICE);
            assertThat(sent.getRecipients()).extracting(MailAddress::asString).containsExactly(CA);
            assertThat(text(sent.getMsg())).startsWith("DKIM-Signature:").contains("Subject: Re: ACME:");
        });
        assertThat(mail.getAttribute(AcmeChallengeResponder.ANSWERED_ATTRIBUTE)).isPresent();
    }

    @Test
    void issue14_aResponseTheSpoolRefusesAfterTheClaim_isConsumedAndSentExactlyOnceByTheOutboxLater() throws Exception {
        Files.createDirectories(home.resolve("conf"));
        Files.writeString(home.resolve(AcmeSmimeRuntime.SETTINGS_FILE),
                "response.pollMillis=100\nresponse.retry.initialSeconds=1\nresponse.retry.maxSeconds=1\n");
        init();
        register(ALICE);
        Mail mail = mail(signed(TestChallenge.builder().to(ALICE)), CA, ALICE);
        spoolRefuses.set(true);

        testee.service(mail);

        assertThat(mail.getState()).as("claimed, so consumed: the outbox owns the response").isEqualTo(Mail.GHOST);
        PendingChallenge p = runtime.store().pendingChallenges().findByMailbox(ALICE, 1).get(0);
        assertThat(p.status()).isEqualTo(ChallengeStatus.ANSWERING);
        assertThat(runtime.store().responseOutbox().find(p.challengeUrl()).orElseThrow().lastError())
                .hasValueSatisfying(e -> assertThat(e).contains("spool refused (test)"));
        assertThat(fake.getSentMails()).isEmpty();

        spoolRefuses.set(false);

        await().atMost(Duration.ofSeconds(20)).until(() -> runtime.store().pendingChallenges()
                .find(p.challengeUrl()).orElseThrow().status() == ChallengeStatus.ANSWERED);
        assertThat(fake.getSentMails()).singleElement().satisfies(sent ->
                assertThat(text(sent.getMsg())).contains("Message-ID: " + p.responseMessageId().orElseThrow()));
    }

    @Test
    void shouldDeliverAnAnsweredChallengeWithItsHeaderWhenOnAnsweredIsDeliver() throws Exception {
        init(AcmeChallengeResponder.ON_ANSWERED, "deliver");
        register(ALICE);
        Mail mail = mail(signed(TestChallenge.builder().to(ALICE)), CA, ALICE);

        testee.service(mail);

        assertThat(mail.getState()).isNotEqualTo(Mail.GHOST);
        assertThat(decision(mail)).isEqualTo("answered");
        assertThat(fake.getSentMails()).hasSize(1);
    }

    @Test
    void shouldDeliverAnIgnoredChallengeWithTheDecisionAndNeverAnswer() throws Exception {
        init();
        register(ALICE);
        Mail mail = mail(TestChallenge.builder().to(ALICE).build(), CA, ALICE);

        testee.service(mail);

        assertThat(mail.getState()).isNotEqualTo(Mail.GHOST);
        assertThat(mail.getRecipients()).extracting(MailAddress::asString).containsExactly(ALICE);
        assertThat(decision(mail)).isEqualTo("ignored; dkim-none");
        assertThat(mail.getAttribute(AcmeChallengeResponder.CODES_ATTRIBUTE).orElseThrow().getValue().value().toString())
                .contains("dkim-none");
        assertThat(fake.getSentMails()).isEmpty();
    }

    @Test
    void shouldStoreAnIgnoredChallengeInTheRepositoryWhenOnRejectedIsAUrl() throws Exception {
        init(AcmeChallengeResponder.ON_REJECTED, "memory://var/mail/acme-rejected/");
        Mail mail = mail(TestChallenge.builder().to(ALICE).build(), CA, ALICE);

        testee.service(mail);

        assertThat(mail.getState()).isEqualTo(Mail.GHOST);
        assertThat(repository).singleElement().satisfies(stored ->
                assertThat(decision(stored)).isEqualTo("ignored; dkim-none,no-pending-challenge"));
        assertThat(fake.getSentMails()).isEmpty();
    }

    @Test
    void shouldSplitRecipientsWithDifferentDecisions() throws Exception {
        init(AcmeChallengeResponder.ON_ANSWERED, "deliver");
        register(ALICE);
        Mail mail = mail(signed(TestChallenge.builder().to(ALICE)), CA, ALICE, BOB);

        testee.service(mail);

        // one copy per decision: the original keeps one group, the other goes back through the processor
        java.util.Map<String, String> headerByRecipient = new java.util.TreeMap<>();
        String originalHeader = decision(mail);
        mail.getRecipients().forEach(r -> headerByRecipient.put(r.asString(), originalHeader));
        List<FakeMailContext.SentMail> copies = fake.getSentMails().stream()
                .filter(s -> s.getRecipients().stream().noneMatch(r -> r.asString().equals(CA))).toList();
        assertThat(copies).singleElement().satisfies(copy -> {
            assertThat(copy.getState()).isEqualTo("local-delivery");
            assertThat(copy.getAttributes()).containsKey(AcmeChallengeResponder.DECISION_ATTRIBUTE);
            copy.getRecipients().forEach(r -> headerByRecipient.put(r.asString(), decisionUnchecked(copy.getMsg())));
        });
        assertThat(headerByRecipient).containsExactly(java.util.Map.entry(ALICE, "answered"),
                java.util.Map.entry(BOB, "ignored; to,no-pending-challenge"));
        assertThat(fake.getSentMails()).hasSize(2); // the copy and the one response
    }

    @Test
    void d16_aKeyLookupTemperror_goesRoundTheProcessorAgainLater_thenIsDeliveredMarked() throws Exception {
        // nothing answers on a free port: every key lookup of the CA's key times out
        init(AcmeChallengeResponder.DNS_SERVER, "127.0.0.1:" + FreePorts.udp(),
                AcmeChallengeResponder.TEMPERROR_RETRIES, "1", AcmeChallengeResponder.TEMPERROR_DELAY_MINUTES, "7");
        register(ALICE);
        byte[] raw = signed(TestChallenge.builder().to(ALICE));
        Mail first = mail(raw, CA, ALICE);

        testee.service(first);

        assertThat(first.getState()).as("the copy in the spool carries the challenge now").isEqualTo(Mail.GHOST);
        assertThat(fake.getSentMails()).singleElement().satisfies(again -> {
            assertThat(again.getDelay()).contains(new FakeMailContext.Delay(7, TimeUnit.MINUTES));
            assertThat(again.getState()).as("back into this processor").isEqualTo("local-delivery");
            assertThat(again.getRecipients()).extracting(MailAddress::asString).containsExactly(ALICE);
            assertThat(again.getAttributes()).containsKey(AcmeChallengeResponder.RETRIES_ATTRIBUTE)
                    .doesNotContainKey(AcmeChallengeResponder.DECISION_ATTRIBUTE);
            assertThat(decisionUnchecked(again.getMsg())).as("not judged yet").isNull();
        });
        FakeMailContext.SentMail again = fake.getSentMails().get(0);

        Mail second = mail(raw, CA, ALICE);
        second.setAttribute(again.getAttributes().get(AcmeChallengeResponder.RETRIES_ATTRIBUTE));
        testee.service(second);

        assertThat(second.getState()).as("retries used up: delivered").isEqualTo("local-delivery");
        assertThat(decision(second)).isEqualTo("ignored; dkim-temperror");
        assertThat(fake.getSentMails()).as("no response, no further copy").hasSize(1);
    }

    @Test
    void d16_onlyARecipientWhoseChallengeIsPendingGoesRoundAgain_theOthersAreDecidedNow() throws Exception {
        init(AcmeChallengeResponder.DNS_SERVER, "127.0.0.1:" + FreePorts.udp());
        register(ALICE);
        Mail mail = mail(signed(TestChallenge.builder().to(ALICE)), CA, ALICE, BOB);

        testee.service(mail);

        // bob is not the challenge's To and has no pending challenge: whatever DNS says later, his copy cannot be answered
        assertThat(mail.getRecipients()).extracting(MailAddress::asString).containsExactly(BOB);
        assertThat(decision(mail)).isEqualTo("ignored; to,dkim-temperror,no-pending-challenge");
        assertThat(fake.getSentMails()).singleElement().satisfies(again -> {
            assertThat(again.getRecipients()).extracting(MailAddress::asString).containsExactly(ALICE);
            assertThat(again.getDelay()).contains(new FakeMailContext.Delay(10, TimeUnit.MINUTES));
            assertThat(decisionUnchecked(again.getMsg())).isNull();
        });
    }

    @Test
    void d16_temperrorRetriesZero_decidesAtOnce() throws Exception {
        init(AcmeChallengeResponder.DNS_SERVER, "127.0.0.1:" + FreePorts.udp(),
                AcmeChallengeResponder.TEMPERROR_RETRIES, "0");
        register(ALICE);
        Mail mail = mail(signed(TestChallenge.builder().to(ALICE)), CA, ALICE);

        testee.service(mail);

        assertThat(mail.getState()).isEqualTo("local-delivery");
        assertThat(decision(mail)).isEqualTo("ignored; dkim-temperror");
        assertThat(fake.getSentMails()).isEmpty();
    }

    void enrolment(String mailbox, EnrolmentStep step, Instant next) {
        Enrolment e = Enrolment.of(mailbox).withStep(step).withSchedule(0, next);
        if (step == EnrolmentStep.CHALLENGE_REGISTERED) {
            e = e.withChallengeUrl(URI.create("https://ca.test/chall/" + urls.get()));
        }
        runtime.store().enrolments().save(e);
    }

    /** The mail James's queue hands back to the processor: the copy that was sent, as it was sent. */
    static Mail comingBack(FakeMailContext.SentMail sent, AttributeName counter) throws Exception {
        Mail back = mail(text(sent.getMsg()).getBytes(StandardCharsets.ISO_8859_1), sent.getSender().asString(),
                sent.getRecipients().stream().map(MailAddress::asString).toArray(String[]::new));
        back.setAttribute(sent.getAttributes().get(counter));
        return back;
    }

    @Test
    void issue15_aChallengeBeatingItsRegistration_comesBackSecondsLater_andIsAnsweredOnceRegistered() throws Exception {
        init();
        enrolment(ALICE, EnrolmentStep.ORDERED, Instant.now());
        Mail first = mail(signed(TestChallenge.builder().to(ALICE)), CA, ALICE);

        testee.service(first);

        assertThat(first.getState()).as("the copy in the spool carries the challenge now").isEqualTo(Mail.GHOST);
        FakeMailContext.SentMail again = fake.getSentMails().get(0);
        assertThat(fake.getSentMails()).hasSize(1);
        assertThat(again.getDelay()).contains(new FakeMailContext.Delay(3, TimeUnit.SECONDS));
        assertThat(again.getState()).as("back into this processor").isEqualTo("local-delivery");
        assertThat(again.getAttributes()).containsKey(AcmeChallengeResponder.REGISTRATION_RETRIES_ATTRIBUTE)
                .doesNotContainKey(AcmeChallengeResponder.RETRIES_ATTRIBUTE)
                .doesNotContainKey(AcmeChallengeResponder.DECISION_ATTRIBUTE);
        assertThat(decisionUnchecked(again.getMsg())).as("not judged yet").isNull();

        // meanwhile the enrolment registers its challenge and waits for the answer
        register(ALICE);
        Instant nextCheck = Instant.now().plus(Duration.ofMinutes(1));
        enrolment(ALICE, EnrolmentStep.CHALLENGE_REGISTERED, nextCheck);
        Mail second = comingBack(again, AcmeChallengeResponder.REGISTRATION_RETRIES_ATTRIBUTE);
        testee.service(second);

        assertThat(second.getState()).as("answered and consumed").isEqualTo(Mail.GHOST);
        assertThat(fake.getSentMails()).hasSize(2).last().satisfies(response -> {
            assertThat(response.getSender().asString()).isEqualTo(ALICE);
            assertThat(text(response.getMsg())).contains("Subject: Re: ACME:");
        });
        URI challenge = URI.create("https://ca.test/chall/" + urls.get());
        assertThat(runtime.store().pendingChallenges().find(challenge).orElseThrow().status())
                .isEqualTo(ChallengeStatus.ANSWERED);
        assertThat(runtime.store().enrolments().find(ALICE).orElseThrow().nextAttemptAt().orElseThrow())
                .as("woken: due now, not at its next check").isBefore(nextCheck.minusSeconds(30));
    }

    @Test
    void issue15_onceTheRegistrationRetriesAreUsedUp_theChallengeIsIgnoredWithItsCode() throws Exception {
        init(AcmeChallengeResponder.REGISTRATION_RETRIES, "1", AcmeChallengeResponder.REGISTRATION_DELAY_SECONDS, "5");
        enrolment(ALICE, EnrolmentStep.KEY_READY, Instant.now());
        testee.service(mail(signed(TestChallenge.builder().to(ALICE)), CA, ALICE));
        FakeMailContext.SentMail again = fake.getSentMails().get(0);
        assertThat(again.getDelay()).contains(new FakeMailContext.Delay(5, TimeUnit.SECONDS));

        Mail second = comingBack(again, AcmeChallengeResponder.REGISTRATION_RETRIES_ATTRIBUTE);
        testee.service(second);

        assertThat(second.getState()).as("retries used up: delivered").isEqualTo("local-delivery");
        assertThat(decision(second)).isEqualTo("ignored; awaiting-registration");
        assertThat(fake.getSentMails()).as("no response, no further copy").hasSize(1);
    }

    static String decisionUnchecked(MimeMessage message) {
        try {
            return message.getHeader(AcmeChallengeResponder.DECISION_HEADER, null);
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void shouldLetASplitCopyPassWhenItComesBack() throws Exception {
        init();
        Mail mail = mail(TestChallenge.builder().to(ALICE).build(), CA, ALICE);
        mail.setAttribute(new org.apache.mailet.Attribute(AcmeChallengeResponder.DECISION_ATTRIBUTE,
                org.apache.mailet.AttributeValue.of("ignored; to")));

        testee.service(mail);

        assertThat(decision(mail)).isNull();
        assertThat(runtime.store().audit().latest(ALICE, java.util.Set.of(dev.acmesmime.store.AuditEvent.CHALLENGE_IGNORED), 10)).isEmpty();
    }

    @Test
    void shouldReplaceADecisionHeaderTheSenderWrote() throws Exception {
        init();
        byte[] raw = ("X-Acme-Smime-Decision: answered\r\n"
                + new String(TestChallenge.builder().to(ALICE).build(), StandardCharsets.ISO_8859_1)).getBytes(StandardCharsets.ISO_8859_1);
        Mail mail = mail(raw, CA, ALICE);

        testee.service(mail);

        assertThat(mail.getMessage().getHeader(AcmeChallengeResponder.DECISION_HEADER))
                .containsExactly("ignored; dkim-none,no-pending-challenge");
    }

    @Test
    void shouldLeaveAnAutoGeneratedMailThatIsNoChallengeUnchanged() throws Exception {
        init();
        byte[] raw = TestChallenge.builder().to(ALICE).subject("Nightly backup: OK").build();
        Mail mail = mail(raw, "cron@org.test", ALICE);

        testee.service(mail);

        assertThat(mail.getState()).isEqualTo("local-delivery");
        assertThat(decision(mail)).isNull();
        assertThat(text(mail.getMessage())).isEqualTo(new String(raw, StandardCharsets.ISO_8859_1));
        assertThat(fake.getSentMails()).isEmpty();
    }

    @Test
    void shouldNeverAnswerANullSender() throws Exception {
        init();
        register(ALICE);
        Mail mail = mail(signed(TestChallenge.builder().to(ALICE)), null, ALICE);

        testee.service(mail);

        assertThat(decision(mail)).isEqualTo("ignored; null-sender");
        assertThat(fake.getSentMails()).isEmpty();
    }

    @Test
    void shouldMarkARecipientThatIsNotLocal() throws Exception {
        init();
        Mail mail = mail(signed(TestChallenge.builder().to("carol@remote.test")), CA, "carol@remote.test");

        testee.service(mail);

        assertThat(decision(mail)).isEqualTo("ignored; not-local-recipient");
        assertThat(fake.getSentMails()).isEmpty();
    }

    @Test
    void shouldThrowSoJamesKeepsTheMailWhenTheStoreIsDown() throws Exception {
        init();
        Mail mail = mail(signed(TestChallenge.builder().to(ALICE)), CA, ALICE);
        runtime.store().close();

        assertThatThrownBy(() -> testee.service(mail)).isInstanceOf(MessagingException.class)
                .hasMessageContaining("acme-smime responder failed for " + ALICE);
        assertThat(mail.getState()).isNotEqualTo(Mail.GHOST);
        assertThat(fake.getSentMails()).isEmpty();
    }
}
