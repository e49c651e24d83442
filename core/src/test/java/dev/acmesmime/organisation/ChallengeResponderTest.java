package dev.acmesmime.organisation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import dev.acmesmime.dkim.DkimKeyResolver;
import dev.acmesmime.dkim.DkimPolicyVerifier;
import dev.acmesmime.dkim.DkimSigner;
import dev.acmesmime.dkim.SignedFields;
import dev.acmesmime.rfc8823.AcmeMailInspector;
import dev.acmesmime.rfc8823.KeyAuthorization;
import dev.acmesmime.rfc8823.MessageKind;
import dev.acmesmime.store.AuditEvent;
import dev.acmesmime.store.AcmeSmimeStore;
import dev.acmesmime.store.AuditQuery;
import dev.acmesmime.store.AuditRecord;
import dev.acmesmime.store.ChallengeStatus;
import dev.acmesmime.store.Enrolment;
import dev.acmesmime.store.EnrolmentStep;
import dev.acmesmime.store.OutboxState;
import dev.acmesmime.store.OutgoingResponse;
import dev.acmesmime.store.PendingChallenge;
import dev.acmesmime.store.StoreSettings;
import dev.acmesmime.testing.Dkimpy;
import dev.acmesmime.testing.DkimDns;
import dev.acmesmime.testing.FreePorts;
import dev.acmesmime.testing.MutableClock;
import dev.acmesmime.testing.TestChallenge;
import dev.acmesmime.testing.TestKeys;

/**
 * {@link ChallengeResponder} against an H2 store, DKIM keys served by a real dnsmasq, challenges signed
 * with the CA's key, responses verified by Debian's dkimpy. Named after the checklist rules.
 */
@Timeout(120) // hang guard only
class ChallengeResponderTest {

    static final String CA = "acme@ca.test";
    static final String ALICE = "alice@org.test";
    static final String BOB = "bob@org.test";
    static final String CAROL_LOCAL = "carol@org.test";
    static final String TOKEN_PART2 = "DGyRejmCefe7v4NfDGDKfA";
    static final String THUMBPRINT = "LPJNul-wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ";

    @RegisterExtension
    static final DkimDns DNS = DkimDns.keys(k -> k.rsa("ca", 2048).rsa("org", 2048).rsa("evil", 2048))
            .publish("ca", "ca.test", "ca").publish("org", "org.test", "org").publish("evil", "evil.test", "evil");
    static TestKeys caKey;
    static TestKeys orgKey;
    static TestKeys evilKey;
    /** The responder's DKIM key directory: the organisation's key under the name it looks for, and a non-key. */
    static Path keyDirectory;

    @TempDir
    Path home;
    MutableClock clock;
    AcmeSmimeStore store;
    ChallengeResponder testee;
    AtomicInteger urls = new AtomicInteger();

    @BeforeAll
    static void keys() throws Exception {
        caKey = DNS.key("ca");
        orgKey = DNS.key("org");
        evilKey = DNS.key("evil");
        keyDirectory = Files.createDirectory(DNS.dir().resolve("dkim"));
        Files.copy(orgKey.pkcs8(), keyDirectory.resolve("org._domainkey.org.test.pem"));
        Files.writeString(keyDirectory.resolve("README"), "not a key, ignored");
    }

    @BeforeEach
    void openStore() throws Exception {
        clock = new MutableClock(Instant.now());
        store = AcmeSmimeStore.builder(StoreSettings.fromProperties(new Properties(), home)).clock(clock).open();
        testee = responder(RateLimits.DEFAULT);
    }

    @AfterEach
    void closeStore() {
        if (store != null) {
            store.close();
        }
    }

    ChallengeResponder responder(RateLimits limits) throws Exception {
        return responder(limits, DkimKeyResolver.builder().server(DNS.server()).build());
    }

    ChallengeResponder responder(RateLimits limits, DkimKeyResolver keys) throws Exception {
        return ChallengeResponder.builder()
                .store(store)
                .inspector(AcmeMailInspector.builder()
                        .authenticity(DkimPolicyVerifier.builder().keyResolver(keys).build())
                        .clock(clock).build())
                .signingKeys(DkimKeyDirectory.open(keyDirectory, clock))
                .rateLimits(limits)
                .clock(clock)
                .build();
    }

    URI register(String mailbox, String from, Duration lifetime) {
        URI url = URI.create("https://ca.test/acme/chall/" + urls.incrementAndGet());
        assertThat(store.pendingChallenges().register(new PendingChallenge.Registration(url, mailbox, from, TOKEN_PART2,
                THUMBPRINT, clock.instant().plus(lifetime)))).isTrue();
        return url;
    }

    static byte[] signedByCa(TestChallenge challenge) throws Exception {
        return DkimSigner.builder().privateKey(caKey.pkcs8()).selector("ca").build()
                .sign(challenge.build(), MessageKind.CHALLENGE);
    }

    static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    @Test
    void d16_aKeyLookupTemperrorIsRetryable_onlyWhenItIsTheOneReason() throws Exception {
        // nothing answers on a free port: every key lookup times out
        testee = responder(RateLimits.DEFAULT, DkimKeyResolver.builder().server("127.0.0.1:" + FreePorts.udp())
                .timeout(Duration.ofMillis(300)).attempts(1).build());
        URI url = register(ALICE, CA, Duration.ofHours(1));

        Decision pending = testee.respond(signedByCa(TestChallenge.builder().to(ALICE)), CA, ALICE);
        Decision unexpected = testee.respond(signedByCa(TestChallenge.builder().to(BOB)), CA, BOB);

        assertThat(pending.codeValues()).containsExactly("dkim-temperror");
        assertThat(pending.retryable()).as("may be answered on a later try").isTrue();
        assertThat(store.pendingChallenges().find(url).orElseThrow().status()).isEqualTo(ChallengeStatus.PENDING);
        assertThat(unexpected.codeValues()).containsExactly("dkim-temperror", "no-pending-challenge");
        assertThat(unexpected.retryable()).as("no challenge to answer, whatever DNS says").isFalse();
        assertThat(testee.respond(TestChallenge.builder().to(ALICE).build(), CA, ALICE).retryable())
                .as("unsigned: nothing to look up").isFalse();
    }

    @Test
    void r1_r18_answersAGenuineChallengeWithOneSignedResponse() throws Exception {
        URI url = register(ALICE, CA, Duration.ofHours(1));
        TestChallenge c = TestChallenge.builder().to(ALICE).messageId("<c1@ca.test>");

        Decision d = testee.respond(signedByCa(c), CA, ALICE);

        assertThat(d.answered()).as(d.reason()).isTrue();
        assertThat(d.codeValues()).containsExactly("answered");
        assertThat(d.headerValue()).isEqualTo("answered");
        assertThat(d.challengeUrl()).contains(url);
        Decision.Response r = d.response().orElseThrow();
        assertThat(r.envelopeSender()).isEqualTo(ALICE);
        assertThat(r.recipient()).isEqualTo(CA);
        String mail = text(r.message());
        assertThat(mail).startsWith("DKIM-Signature:")
                .contains("\r\nFrom: " + ALICE + "\r\n", "\r\nTo: " + CA + "\r\n", "\r\nSubject: Re: ACME: ",
                        "\r\nIn-Reply-To: <c1@ca.test>\r\n", "\r\nReferences: <c1@ca.test>\r\n",
                        "\r\nAuto-Submitted: auto-replied\r\n", "\r\nMessage-ID: " + r.messageId() + "\r\n",
                        "\r\n-----BEGIN ACME RESPONSE-----\r\n"
                                + KeyAuthorization.digest(c.token(), TOKEN_PART2, THUMBPRINT)
                                + "\r\n-----END ACME RESPONSE-----\r\n")
                .doesNotContain("List-");
        assertThat(mail.replaceAll("\r\n[ \t]+", "")).contains("Subject: Re: ACME: " + c.token());

        Dkimpy.Verification v = Dkimpy.verify(r.message(), DNS.server());
        assertThat(v.ok()).as(v.json()).isTrue();
        assertThat(v.d()).isEqualTo("org.test");
        assertThat(v.h()).map(String::toLowerCase).containsAll(SignedFields.RESPONSE_REQUIRED.stream()
                .map(String::toLowerCase).toList());

        PendingChallenge p = store.pendingChallenges().find(url).orElseThrow();
        assertThat(p.status()).as("answered only once the spool took it").isEqualTo(ChallengeStatus.ANSWERING);
        assertThat(p.responseMessageId()).contains(r.messageId());
        OutgoingResponse queued = store.responseOutbox().find(url).orElseThrow();
        assertThat(queued.content().message()).isEqualTo(r.message());
        assertThat(List.of(queued.content().envelopeSender(), queued.content().recipient(), queued.responseMessageId()))
                .containsExactly(ALICE, CA, r.messageId());
        assertThat(queued.state()).isEqualTo(OutboxState.PENDING);
        assertThat(queued.expiresAt()).isEqualTo(p.expiresAt());
        List<AuditRecord> audit = store.audit().find(AuditQuery.builder().address(ALICE).build());
        assertThat(audit).singleElement().satisfies(a -> {
            assertThat(a.event()).isEqualTo(AuditEvent.CHALLENGE_ANSWERED.value());
            assertThat(a.token()).contains(c.token());
            assertThat(a.messageId()).contains("<c1@ca.test>");
            assertThat(a.detail().orElseThrow()).contains(url.toString(), r.messageId()).doesNotContain(TOKEN_PART2);
        });
    }

    @Test
    void r4_answersTheReplyToAddress() throws Exception {
        register(ALICE, CA, Duration.ofHours(1));
        Decision d = testee.respond(signedByCa(TestChallenge.builder().to(ALICE).replyTo("replies@ca.test")), CA, ALICE);

        assertThat(d.response().orElseThrow().recipient()).isEqualTo("replies@ca.test");
        assertThat(text(d.response().orElseThrow().message())).contains("\r\nTo: replies@ca.test\r\n");
    }

    @Test
    void c22_theSameChallengeMailIsAnsweredOnlyOnce() throws Exception {
        register(ALICE, CA, Duration.ofHours(1));
        byte[] challenge = signedByCa(TestChallenge.builder().to(ALICE));
        assertThat(testee.respond(challenge, CA, ALICE).answered()).isTrue();

        Decision again = testee.respond(challenge, CA, ALICE);

        assertThat(again.answered()).isFalse();
        assertThat(again.response()).isEmpty();
        assertThat(again.codeValues()).containsExactly("already-answered");
        assertThat(again.headerValue()).isEqualTo("ignored; already-answered");
    }

    @Test
    void c22_aClaimedChallengeMailIsNotAnsweredEvenForAFreshRegistration() throws Exception {
        byte[] challenge = signedByCa(TestChallenge.builder().to(ALICE).messageId("<same@ca.test>").token(
                "LgYemJLy3F1LDkiJrdIGbEzyFJyOyf6vBdyZ1TG3sME"));
        register(ALICE, CA, Duration.ofHours(1));
        assertThat(testee.respond(challenge, CA, ALICE).answered()).isTrue();
        URI second = register(ALICE, CA, Duration.ofHours(1)); // e.g. a second node answered, then a new order

        Decision replay = testee.respond(challenge, CA, ALICE);

        assertThat(replay.codeValues()).containsExactly("already-answered");
        assertThat(store.pendingChallenges().find(second).orElseThrow().status()).isEqualTo(ChallengeStatus.PENDING);
    }

    @Test
    void nullEnvelopeSenderIsNeverAnswered() throws Exception {
        register(ALICE, CA, Duration.ofHours(1));
        Decision d = testee.respond(signedByCa(TestChallenge.builder().to(ALICE)), null, ALICE);

        assertThat(d.codeValues()).containsExactly("null-sender");
        assertThat(d.verdict()).isEmpty();
        assertThat(store.audit().find(AuditQuery.builder().address(ALICE).build()))
                .extracting(AuditRecord::event, a -> a.outcome().orElseThrow())
                .containsExactly(org.assertj.core.groups.Tuple.tuple(AuditEvent.CHALLENGE_IGNORED.value(), "null-sender"));
    }

    @Test
    void c15_anUnsignedChallengeIsIgnored() throws Exception {
        register(ALICE, CA, Duration.ofHours(1));
        Decision d = testee.respond(TestChallenge.builder().to(ALICE).build(), CA, ALICE);

        assertThat(d.answered()).isFalse();
        assertThat(d.codeValues()).containsExactly("dkim-none");
        assertThat(d.headerValue()).isEqualTo("ignored; dkim-none");
    }

    @Test
    void d4_aSignatureOfAnotherDomainIsMisaligned() throws Exception {
        register(ALICE, CA, Duration.ofHours(1));
        byte[] forged = Dkimpy.sign(TestChallenge.builder().to(ALICE).build(), "evil", "evil.test", evilKey.pkcs1(),
                Dkimpy.headers(SignedFields.toSign(MessageKind.CHALLENGE)));

        assertThat(testee.respond(forged, CA, ALICE).codeValues()).contains("dkim-misaligned");
    }

    @Test
    void d2_aSignatureWithAShortHeaderListIsIgnored() throws Exception {
        register(ALICE, CA, Duration.ofHours(1));
        byte[] shortH = Dkimpy.sign(TestChallenge.builder().to(ALICE).build(), "ca", "ca.test", caKey.pkcs1(),
                Dkimpy.headers(List.of("From", "To", "Subject")));

        assertThat(testee.respond(shortH, CA, ALICE).codeValues()).containsExactly("dkim-headers");
    }

    @Test
    void c15_aTamperedChallengeIsIgnored() throws Exception {
        register(ALICE, CA, Duration.ofHours(1));
        TestChallenge c = TestChallenge.builder().to(ALICE);
        byte[] tampered = text(signedByCa(c)).replace("ACME: " + c.token(), "ACME: " + TestChallenge.newToken())
                .getBytes(StandardCharsets.UTF_8);

        assertThat(testee.respond(tampered, CA, ALICE).codeValues()).containsExactly("dkim-invalid");
    }

    @Test
    void c9_aGenuinelySignedChallengeFromAnotherSenderIsIgnored() throws Exception {
        register(ALICE, CA, Duration.ofHours(1));
        byte[] other = DkimSigner.builder().privateKey(evilKey.pkcs8()).selector("evil").build()
                .sign(TestChallenge.builder().from("acme@evil.test").to(ALICE).build(), MessageKind.CHALLENGE);

        Decision d = testee.respond(other, "acme@evil.test", ALICE);

        assertThat(d.codeValues()).containsExactly("unexpected-sender");
        assertThat(d.reason()).contains("acme@evil.test");
    }

    @Test
    void c20_aChallengeNobodyRegisteredIsIgnored() throws Exception {
        register(BOB, CA, Duration.ofHours(1));
        assertThat(testee.respond(signedByCa(TestChallenge.builder().to(ALICE)), CA, ALICE).codeValues())
                .containsExactly("no-pending-challenge");
    }

    @Test
    void c20_anExpiredChallengeIsIgnored() throws Exception {
        URI url = register(ALICE, CA, Duration.ofMinutes(5));
        clock.advance(Duration.ofMinutes(6));

        assertThat(testee.respond(signedByCa(TestChallenge.builder().to(ALICE)), CA, ALICE).codeValues())
                .containsExactly("expired");
        assertThat(store.pendingChallenges().find(url).orElseThrow().status()).isEqualTo(ChallengeStatus.PENDING);
    }

    void enrolment(String mailbox, EnrolmentStep step) {
        store.enrolments().save(Enrolment.of(mailbox).withStep(step).withSchedule(0, clock.instant()));
    }

    @Test
    void issue15_aGenuineChallengeBeatingTheRegistrationOfAnOrderInFlight_isNotJudgedYet_thenAnswered() throws Exception {
        byte[] mail = signedByCa(TestChallenge.builder().to(ALICE));
        for (EnrolmentStep inFlight : List.of(EnrolmentStep.KEY_READY, EnrolmentStep.ORDERED)) {
            enrolment(ALICE, inFlight);
            Decision early = testee.respond(mail, CA, ALICE);

            assertThat(early.codeValues()).as(inFlight.name()).containsExactly("awaiting-registration");
            assertThat(early.awaitingRegistration()).isTrue();
            assertThat(early.retryable()).as("not the DNS retry").isFalse();
            assertThat(early.answered()).isFalse();
        }
        register(ALICE, CA, Duration.ofHours(1));

        assertThat(testee.respond(mail, CA, ALICE).answered()).as("nothing was claimed while it waited").isTrue();
    }

    @Test
    void issue15_onlyAnExpiredChallengeWhileTheNextOrderIsInFlight_isNotJudgedYet() throws Exception {
        register(ALICE, CA, Duration.ofMinutes(5));
        clock.advance(Duration.ofMinutes(6));
        enrolment(ALICE, EnrolmentStep.ORDERED);

        assertThat(testee.respond(signedByCa(TestChallenge.builder().to(ALICE)), CA, ALICE).codeValues())
                .containsExactly("awaiting-registration");
    }

    /** A renewal: the previous order's challenge of the same CA was answered; the new one is not registered yet. */
    @Test
    void issue15_aRenewalsChallengeBeatingItsRegistration_isNotJudgedYet_butAReplayOfTheAnsweredMailIsNeverAnswered()
            throws Exception {
        register(ALICE, CA, Duration.ofHours(1));
        byte[] first = signedByCa(TestChallenge.builder().to(ALICE));
        assertThat(testee.respond(first, CA, ALICE).answered()).isTrue();
        enrolment(ALICE, EnrolmentStep.ORDERED);
        byte[] renewal = signedByCa(TestChallenge.builder().to(ALICE));

        assertThat(testee.respond(renewal, CA, ALICE).codeValues()).containsExactly("awaiting-registration");
        register(ALICE, CA, Duration.ofHours(1));

        assertThat(testee.respond(first, CA, ALICE).answered()).as("a replay of the answered mail").isFalse();
        assertThat(testee.respond(renewal, CA, ALICE).answered()).isTrue();
    }

    @Test
    void issue15_withoutAnOrderInFlight_noPendingChallengeIsFinalAsBefore() throws Exception {
        byte[] mail = signedByCa(TestChallenge.builder().to(ALICE));
        assertThat(testee.respond(mail, CA, ALICE).codeValues()).as("no enrolment").containsExactly("no-pending-challenge");
        for (EnrolmentStep rest : List.of(EnrolmentStep.NONE, EnrolmentStep.ISSUED, EnrolmentStep.FAILED,
                EnrolmentStep.CHALLENGE_REGISTERED)) {
            enrolment(ALICE, rest);
            Decision d = testee.respond(mail, CA, ALICE);
            assertThat(d.codeValues()).as(rest.name()).containsExactly("no-pending-challenge");
            assertThat(d.awaitingRegistration()).isFalse();
        }
    }

    @Test
    void issue15_aForgedOrMisaddressedChallengeIsIgnoredAtOnceWithItsOwnCodes_evenWithAnOrderInFlight() throws Exception {
        enrolment(ALICE, EnrolmentStep.ORDERED);
        byte[] forged = Dkimpy.sign(TestChallenge.builder().to(ALICE).build(), "evil", "evil.test", evilKey.pkcs1(),
                Dkimpy.headers(SignedFields.toSign(MessageKind.CHALLENGE)));
        TestChallenge reply = TestChallenge.builder().to(ALICE);
        reply.subject("Re: ACME: " + reply.token());

        assertThat(testee.respond(forged, CA, ALICE).codeValues()).contains("dkim-misaligned")
                .doesNotContain("awaiting-registration");
        assertThat(testee.respond(signedByCa(reply), CA, ALICE).codeValues())
                .containsExactly("reply-prefix", "no-pending-challenge");
        assertThat(testee.respond(signedByCa(TestChallenge.builder().to(BOB)), CA, ALICE).codeValues())
                .doesNotContain("awaiting-registration").contains("to");
    }

    @Test
    void c21_aReplyPrefixIsIgnored() throws Exception {
        register(ALICE, CA, Duration.ofHours(1));
        TestChallenge c = TestChallenge.builder().to(ALICE);
        c.subject("Re: ACME: " + c.token());

        assertThat(testee.respond(signedByCa(c), CA, ALICE).codeValues()).containsExactly("reply-prefix");
    }

    @Test
    void c10_aChallengeReachingTheMailboxOnlyByCcIsIgnored() throws Exception {
        register(ALICE, CA, Duration.ofHours(1));
        register(BOB, CA, Duration.ofHours(1));
        byte[] c = signedByCa(TestChallenge.builder().to(BOB).cc(ALICE));

        assertThat(testee.respond(c, CA, ALICE).codeValues()).containsExactly("to");
    }

    @Test
    void s0f_twoPendingChallengesFromOneSenderAreAmbiguous() throws Exception {
        register(ALICE, CA, Duration.ofHours(1));
        register(ALICE, CA, Duration.ofHours(1));

        assertThat(testee.respond(signedByCa(TestChallenge.builder().to(ALICE)), CA, ALICE).codeValues())
                .containsExactly("ambiguous-pending-challenge");
    }

    @Test
    void anAutoGeneratedMailThatIsNoChallengeIsNotAuditedNorMarked() throws Exception {
        register(ALICE, CA, Duration.ofHours(1));
        TestChallenge notification = TestChallenge.builder().to(ALICE).subject("Your nightly backup succeeded");

        Decision d = testee.respond(signedByCa(notification), CA, ALICE);

        assertThat(d.codeValues()).containsExactly("not-acme");
        assertThat(d.notAChallenge()).isTrue();
        assertThat(store.audit().find(AuditQuery.builder().address(ALICE).build())).isEmpty();
    }

    @Test
    void failuresOfTheMailAndOfTheRegistrationAreListedTogether() throws Exception {
        Decision d = testee.respond(TestChallenge.builder().to(ALICE).build(), CA, ALICE);

        assertThat(d.codeValues()).containsExactly("dkim-none", "no-pending-challenge");
        assertThat(d.reason()).contains("dkim-none", "no-pending-challenge");
    }

    @Test
    void rateLimitPerMailboxStopsFurtherResponsesWithinAnHour() throws Exception {
        testee = responder(new RateLimits(1, 0));
        register(ALICE, CA, Duration.ofHours(3));
        assertThat(testee.respond(signedByCa(TestChallenge.builder().to(ALICE)), CA, ALICE).answered()).isTrue();
        URI second = register(ALICE, CA, Duration.ofHours(3));

        Decision limited = testee.respond(signedByCa(TestChallenge.builder().to(ALICE)), CA, ALICE);
        assertThat(limited.codeValues()).containsExactly("rate-limited-mailbox");
        assertThat(store.pendingChallenges().find(second).orElseThrow().status()).isEqualTo(ChallengeStatus.PENDING);

        clock.advance(Duration.ofMinutes(61));
        assertThat(testee.respond(signedByCa(TestChallenge.builder().to(ALICE)), CA, ALICE).answered()).isTrue();
    }

    @Test
    void rateLimitPerSenderDomainCountsEveryMailbox() throws Exception {
        testee = responder(new RateLimits(0, 1));
        register(ALICE, CA, Duration.ofHours(1));
        register(BOB, "other@CA.test", Duration.ofHours(1));
        assertThat(testee.respond(signedByCa(TestChallenge.builder().to(ALICE)), CA, ALICE).answered()).isTrue();

        Decision limited = testee.respond(signedByCa(TestChallenge.builder().from("other@ca.test").to(BOB)),
                "other@ca.test", BOB);
        assertThat(limited.codeValues()).containsExactly("rate-limited-sender-domain");
    }

    /** Issue 15: a mailbox-wide enrolment from one CA is paced by the engine, not by the per-domain flood guard. */
    @Test
    void rateLimitPerSenderDomainDoesNotApplyToTheChallengeOfTheMailboxsOwnEnrolment() throws Exception {
        testee = responder(new RateLimits(0, 1));
        register(ALICE, CA, Duration.ofHours(1));
        assertThat(testee.respond(signedByCa(TestChallenge.builder().to(ALICE)), CA, ALICE).answered()).isTrue();
        URI bobs = register(BOB, CA, Duration.ofHours(1));
        store.enrolments().save(Enrolment.of(BOB).withStep(EnrolmentStep.CHALLENGE_REGISTERED).withChallengeUrl(bobs)
                .withSchedule(0, clock.instant()));

        assertThat(testee.respond(signedByCa(TestChallenge.builder().to(BOB)), CA, BOB).answered())
                .as("the engine's own order").isTrue();

        register(CAROL_LOCAL, CA, Duration.ofHours(1));
        assertThat(testee.respond(signedByCa(TestChallenge.builder().to(CAROL_LOCAL)), CA, CAROL_LOCAL).codeValues())
                .as("registered by hand, not by the enrolment").containsExactly("rate-limited-sender-domain");
    }

    @Test
    void aMailboxDomainWithoutKeyIsAnErrorAndLeavesTheChallengeAnswerable() throws Exception {
        String carol = "carol@nokey.test";
        URI url = register(carol, CA, Duration.ofHours(1));
        byte[] c = signedByCa(TestChallenge.builder().to(carol));

        assertThatThrownBy(() -> testee.respond(c, CA, carol)).isInstanceOf(ResponderException.class)
                .hasMessageContaining("nokey.test");
        assertThat(store.pendingChallenges().find(url).orElseThrow().status()).isEqualTo(ChallengeStatus.PENDING);

        Files.copy(orgKey.pkcs8(), keyDirectory.resolve("sel._domainkey.nokey.test.pem"));
        try {
            Decision d = testee.respond(c, CA, carol);
            assertThat(d.answered()).as(d.reason()).isTrue(); // the key was picked up without a restart
        } finally {
            Files.delete(keyDirectory.resolve("sel._domainkey.nokey.test.pem"));
        }
    }

    @Test
    void mailboxesAreComparedWithTheDomainIgnoringCase() throws Exception {
        register(ALICE, CA, Duration.ofHours(1));
        assertThat(testee.respond(signedByCa(TestChallenge.builder().to("alice@ORG.test")), CA, "alice@Org.Test")
                .answered()).isTrue();
    }

    @Test
    void aStoreFailureIsAnExceptionNotADecision() throws Exception {
        byte[] c = signedByCa(TestChallenge.builder().to(ALICE));
        store.close();

        assertThatThrownBy(() -> testee.respond(c, CA, ALICE)).isInstanceOf(RuntimeException.class);
        store = null;
    }
}
