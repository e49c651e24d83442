package dev.acmesmime.ca;

import dev.acmesmime.ca.forward.ForwardContract;
import dev.acmesmime.ca.forward.ForwardEnvelope;

import dev.acmesmime.testing.MutableClock;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.acmesmime.dkim.DkimKeyResolver;
import dev.acmesmime.dkim.DkimPolicyVerifier;
import dev.acmesmime.dkim.SignedFields;
import dev.acmesmime.metrics.MetricNames;
import dev.acmesmime.rfc8823.FailureCode;
import dev.acmesmime.rfc8823.MessageIds;
import dev.acmesmime.store.AcmeSmimeStore;
import dev.acmesmime.store.AuditQuery;
import dev.acmesmime.store.AuditRecord;
import dev.acmesmime.store.IssuedChallenge;
import dev.acmesmime.store.StoreSettings;
import dev.acmesmime.testing.Dkimpy;
import dev.acmesmime.testing.DkimDns;

/**
 * {@link ResponseProcessor} on responses signed by Debian's dkimpy, keys served by a real dnsmasq,
 * state in a real H2 store. Issue 6: only authentic responses are queued; every other one is
 * recorded with its failure code and dropped.
 */
class ResponseProcessorTest {
    static final String USER = "alice@example.test";
    static final String CA_ADDRESS = "acme+t1@ca.test";
    static final String CHALLENGE_ID = "<challenge-1@ca.test>";
    static final String TOKEN1 = "LgYemJLy3F1LDkiJrdIGbEzyFJyOyf6vBdyZ1TG3sME";
    static final String DIGEST = "LoqXcYV8q5ONbJQxbmR7SCTNo3tiAXDfowyjxAjEuX0";
    static final String SEL = "s2048";
    static final Instant SENT = Instant.parse("2026-11-28T10:00:00Z");
    static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final DkimDns DNS = DkimDns.keys(k -> k.rsa("k", 2048))
            .publish(SEL, "example.test", "k").publish(SEL, "mail.example.test", "k").publish(SEL, "other.test", "k");

    @TempDir
    Path home;
    MutableClock clock;
    AcmeSmimeStore store;
    ResponseProcessor testee;

    @BeforeEach
    void setUp() {
        clock = new MutableClock(SENT.plus(Duration.ofMinutes(3)));
        store = AcmeSmimeStore.builder(StoreSettings.fromProperties(new Properties(), home)).clock(clock).open();
        store.issuedChallenges().record(IssuedChallenge.sent(CHALLENGE_ID, TOKEN1, USER, CA_ADDRESS, "t1", SENT,
                SENT.plus(Duration.ofHours(24))));
        testee = ResponseProcessor.builder().store(store).clock(clock)
                .dkim(DkimPolicyVerifier.builder().keyResolver(DkimKeyResolver.builder().server(DNS.server()).build()).build())
                .build();
    }

    @AfterEach
    void tearDown() {
        store.close();
    }

    static String response(String extraHeaders, String contentType, String body) {
        return ("From: " + USER + "\n"
                + "To: " + CA_ADDRESS + "\n"
                + "Subject: Re: ACME: " + TOKEN1 + "\n"
                + "Date: Sat, 28 Nov 2026 10:01:00 +0000\n"
                + "Message-ID: <response-1@example.test>\n"
                + "In-Reply-To: " + CHALLENGE_ID + "\n"
                + "References: " + CHALLENGE_ID + "\n"
                + extraHeaders
                + "MIME-Version: 1.0\n"
                + "Content-Type: " + contentType + "\n"
                + "Content-Transfer-Encoding: 7bit\n"
                + "\n" + body).replace("\n", "\r\n");
    }

    static String block(String digest) {
        return "-----BEGIN ACME RESPONSE-----\n" + digest + "\n-----END ACME RESPONSE-----\n";
    }

    static byte[] plain() {
        return response("", "text/plain; charset=us-ascii", block(DIGEST)).getBytes(StandardCharsets.US_ASCII);
    }

    static byte[] sign(byte[] mail, String domain, String... options) throws Exception {
        String[] all = options.length > 0 ? options : Dkimpy.headers(SignedFields.RESPONSE_REQUIRED);
        return Dkimpy.sign(mail, SEL, domain, DNS.key("k").pkcs1(), all);
    }

    ProcessingResult process(byte[] raw) {
        return testee.process(new InboundResponse(raw, USER, List.of(CA_ADDRESS), "192.0.2.7", "mx.example.test"));
    }

    List<AuditRecord> audit() {
        return store.audit().find(AuditQuery.builder().build());
    }

    @Test
    void anAuthenticResponse_isQueuedOnce_withEvidenceOfEveryCheckDkimDetailAndAllThreeKeys() throws Exception {
        byte[] raw = sign(plain(), "example.test");

        ProcessingResult r = process(raw);

        assertThat(r.disposition()).isEqualTo(Disposition.FORWARDED);
        assertThat(r.challenge()).contains(CHALLENGE_ID);
        assertThat(store.outbox().listPending(10)).singleElement().satisfies(i -> {
            ForwardEnvelope e = ForwardEnvelope.fromBytes(i.payload());
            assertThat(e.contract()).isEqualTo(ForwardContract.NATIVE);
            assertThat(e.expiresAt()).isEqualTo(SENT.plus(Duration.ofHours(24)));
            JsonNode body = readJson(e.body());
            assertThat(body.path("from").asText()).isEqualTo(USER);
            assertThat(body.path("digest").asText()).isEqualTo(DIGEST);
            assertThat(body.path("correlation")).extracting(JsonNode::asText)
                    .containsExactly("subject-token", "in-reply-to", "sub-address");
            assertThat(body.path("dkim").path("domain").asText()).isEqualTo("example.test");
        });
        assertThat(store.issuedChallenges().find(CHALLENGE_ID).orElseThrow().outboxId()).isEqualTo(r.outboxId());

        JsonNode ev = readJson(store.evidence().find(r.evidenceId()).orElseThrow().json());
        assertThat(ev.path("method").asText()).isEqualTo("SBR 3.2.2.4 v1.0.10");
        assertThat(Base64.getDecoder().decode(ev.path("raw").asText())).isEqualTo(raw);
        assertThat(ev.path("smtp").path("remoteAddress").asText()).isEqualTo("192.0.2.7");
        assertThat(ev.path("smtp").path("envelopeFrom").asText()).isEqualTo(USER);
        JsonNode sig = ev.path("dkim").get(0);
        assertThat(sig.path("domain").asText()).isEqualTo("example.test");
        assertThat(sig.path("selector").asText()).isEqualTo(SEL);
        assertThat(sig.path("algorithm").asText()).isEqualTo("rsa-sha256");
        assertThat(sig.path("keyBits").asInt()).isEqualTo(2048);
        assertThat(sig.path("signedFields").size()).isEqualTo(SignedFields.RESPONSE_REQUIRED.size());
        assertThat(ev.path("checks")).allSatisfy(c -> assertThat(c.path("ok").asBoolean()).isTrue());
        assertThat(ev.path("checks")).extracting(c -> c.path("code").asText()).contains("dkim-invalid", "list-header",
                "body-format", "dkim-misaligned", "dkim-headers");
        assertThat(audit()).singleElement().satisfies(a -> {
            assertThat(a.event()).isEqualTo("response-forwarded");
            assertThat(a.address()).contains(USER);
            assertThat(a.token()).contains(TOKEN1);
        });
    }

    @Test
    void theSameResponseAgain_isADuplicate_andQueuesNothing_anotherDigestComesTooLate() throws Exception {
        byte[] raw = sign(plain(), "example.test");
        process(raw);

        assertThat(process(raw).disposition()).isEqualTo(Disposition.DUPLICATE);
        byte[] other = sign(response("", "text/plain; charset=us-ascii",
                block("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")).getBytes(StandardCharsets.US_ASCII), "example.test");
        assertThat(process(other).disposition()).isEqualTo(Disposition.ALREADY_USED);
        assertThat(store.outbox().listPending(10)).hasSize(1);
    }

    @Test
    void aCrashBetweenConsumingAndQueueing_isRepairedByTheRedelivery_underTheFirstValidationId() throws Exception {
        store.issuedChallenges().consume(CHALLENGE_ID, DIGEST, "first-validation");

        ProcessingResult r = process(sign(plain(), "example.test"));

        assertThat(r.disposition()).isEqualTo(Disposition.DUPLICATE);
        assertThat(r.outboxId()).isPresent();
        assertThat(ForwardEnvelope.fromBytes(store.outbox().listPending(10).get(0).payload()).id())
                .isEqualTo("first-validation");
    }

    @Test
    void metrics_countEachDispositionAndTheRefusedPerLeadingCode_andEachLogsItsEvidenceId() throws Exception {
        CountingMetrics metrics = new CountingMetrics();
        testee = ResponseProcessor.builder().store(store).clock(clock).metrics(metrics)
                .dkim(DkimPolicyVerifier.builder().keyResolver(DkimKeyResolver.builder().server(DNS.server()).build()).build())
                .build();
        byte[] raw = sign(plain(), "example.test");
        String uncorrelated = new String(raw, StandardCharsets.US_ASCII).replace("Re: ACME: " + TOKEN1,
                "Re: ACME: " + TOKEN1.replace('L', 'M'));

        try (CapturedLog log = new CapturedLog(CaDecisions.class)) {
            List<ProcessingResult> results = List.of(process(plain()), process(plain()),
                    process(sign(plain(), "other.test")), process(uncorrelated.getBytes(StandardCharsets.US_ASCII)),
                    process(raw), process(raw));

            assertThat(log.events()).extracting(e -> e.getMDCPropertyMap().get("acme-smime.evidence"))
                    .containsExactlyElementsOf(results.stream().map(r -> Long.toString(r.evidenceId())).toList());
            assertThat(log.events()).allSatisfy(e -> {
                assertThat(e.getMDCPropertyMap()).containsEntry("acme-smime.role", "ca")
                        .doesNotContainKey("acme-smime.mailbox");
                assertThat(e.getFormattedMessage()).doesNotContain(USER, TOKEN1, DIGEST);
            });
            assertThat(log.events().get(0).getFormattedMessage())
                    .isEqualTo("acme-smime ca response rejected: dkim-none, evidence " + results.get(0).evidenceId());
        }

        String refused = MetricNames.CA_RESPONSES_REFUSED;
        assertThat(metrics.counters()).containsExactlyInAnyOrderEntriesOf(Map.of(
                MetricNames.child(MetricNames.CA_RESPONSES, "rejected"), 3L,
                refused, 3L,
                MetricNames.byCode(refused, FailureCode.DKIM_NONE), 2L,
                MetricNames.byCode(refused, FailureCode.DKIM_MISALIGNED), 1L,
                MetricNames.child(MetricNames.CA_RESPONSES, "uncorrelated"), 1L,
                MetricNames.child(MetricNames.CA_RESPONSES, "forwarded"), 1L,
                MetricNames.child(MetricNames.CA_RESPONSES, "duplicate"), 1L));
        assertThat(metrics.counters()).containsKey("acme-smime.ca.responses.refused.dkim-none");
    }

    private void assertDropped(byte[] raw, String code) {
        ProcessingResult r = process(raw);
        assertThat(r.outcome()).as("outcome, failures " + r.failureCodes()).isEqualTo(code);
        assertThat(r.disposition()).isIn(Disposition.REJECTED, Disposition.EXPIRED, Disposition.UNCORRELATED);
        assertThat(store.outbox().listPending(10)).as("never forwarded").isEmpty();
        assertThat(store.issuedChallenges().find(CHALLENGE_ID).orElseThrow().consumedAt()).as("challenge untouched")
                .isEmpty();
        assertThat(audit()).singleElement().satisfies(a -> assertThat(a.outcome()).contains(code));
        assertThat(store.evidence().find(r.evidenceId()).orElseThrow().outcome()).isEqualTo(code);
    }

    @Test
    void r15_unsigned_isDroppedAsDkimNone() {
        assertDropped(plain(), "dkim-none");
    }

    @Test
    void d8_signedByAnotherDomain_isDroppedAsMisaligned() throws Exception {
        assertDropped(sign(plain(), "other.test"), "dkim-misaligned");
    }

    @Test
    void d8_signedByASubdomainOfTheFromDomain_isDroppedAsMisaligned() throws Exception {
        assertDropped(sign(plain(), "mail.example.test"), "dkim-misaligned");
    }

    @Test
    void d13_bodyLengthWithAnAppendedBlock_isDroppedAsDkimBodyLength() throws Exception {
        byte[] signed = sign(response("", "text/plain; charset=us-ascii", "Hello\n")
                .getBytes(StandardCharsets.US_ASCII), "example.test", "--length",
                Dkimpy.headers(SignedFields.RESPONSE_REQUIRED)[0], Dkimpy.headers(SignedFields.RESPONSE_REQUIRED)[1]);
        byte[] appended = (new String(signed, StandardCharsets.US_ASCII) + block(DIGEST).replace("\n", "\r\n"))
                .getBytes(StandardCharsets.US_ASCII);
        assertDropped(appended, "dkim-body-length");
    }

    @Test
    void d7_aShortHList_isDroppedAsDkimHeaders() throws Exception {
        assertDropped(sign(plain(), "example.test", Dkimpy.headers(List.of("From", "Subject"))), "dkim-headers");
    }

    @Test
    void r7_aListIdField_isDroppedAsListHeader() throws Exception {
        byte[] raw = sign(response("List-Id: <users.example.test>\n", "text/plain; charset=us-ascii", block(DIGEST))
                .getBytes(StandardCharsets.US_ASCII), "example.test");
        assertDropped(raw, "list-header");
    }

    @Test
    void r8_aBlockOnlyInsideQuoting_isDroppedAsBodyFormat() throws Exception {
        String quoted = "> " + block(DIGEST).replace("\n", "\n> ");
        byte[] raw = sign(response("", "text/plain; charset=us-ascii", "I agree.\n\n" + quoted.substring(0, quoted.length() - 2))
                .getBytes(StandardCharsets.US_ASCII), "example.test");
        assertDropped(raw, "body-format");
    }

    @Test
    void r8_anHtmlOnlyResponse_isDroppedAsBodyFormat() throws Exception {
        byte[] raw = sign(response("", "text/html; charset=us-ascii", "<html><body><pre>\n" + block(DIGEST)
                + "</pre></body></html>\n").getBytes(StandardCharsets.US_ASCII), "example.test");
        assertDropped(raw, "body-format");
    }

    @Test
    void b7_aResponseMoreThan24HoursAfterTheChallenge_isDroppedAsExpired() throws Exception {
        byte[] raw = sign(plain(), "example.test");
        clock.advance(Duration.ofHours(24));
        assertDropped(raw, "expired");
    }

    @Test
    void aShorterCpsValidity_isEnforcedToo() throws Exception {
        testee = ResponseProcessor.builder().store(store).clock(clock).validity(Duration.ofMinutes(2))
                .dkim(DkimPolicyVerifier.builder().keyResolver(DkimKeyResolver.builder().server(DNS.server()).build()).build())
                .build();
        assertDropped(sign(plain(), "example.test"), "expired");
    }

    @Test
    void r2_aTokenNoChallengeCarries_isDroppedAsUncorrelated() throws Exception {
        byte[] raw = sign(plain(), "example.test");
        String other = new String(raw, StandardCharsets.US_ASCII).replace("Re: ACME: " + TOKEN1,
                "Re: ACME: " + TOKEN1.replace('L', 'M'));
        ProcessingResult r = process(other.getBytes(StandardCharsets.US_ASCII));
        assertThat(r.disposition()).isEqualTo(Disposition.UNCORRELATED);
        assertThat(store.outbox().listPending(10)).isEmpty();
    }

    @Test
    void correlationRecordsWhichKeysAgreed_whenOnlyTheSubjectTokenMatches() throws Exception {
        String noRefs = response("", "text/plain; charset=us-ascii", block(DIGEST))
                .replace("In-Reply-To: " + CHALLENGE_ID + "\r\n", "").replace("References: " + CHALLENGE_ID + "\r\n", "");
        ProcessingResult r = testee.process(new InboundResponse(sign(noRefs.getBytes(StandardCharsets.US_ASCII),
                "example.test"), USER, List.of("acme@ca.test"), "192.0.2.7", "mx"));
        // To still names acme+t1@ca.test (R4), but the envelope went to the plain address
        assertThat(r.disposition()).isEqualTo(Disposition.FORWARDED);
        JsonNode ev = readJson(store.evidence().find(r.evidenceId()).orElseThrow().json());
        assertThat(ev.path("correlation").path("keysAgreed")).extracting(JsonNode::asText).containsExactly("subject-token");
    }

    @Test
    void messageIdsAreReadFromInReplyToAndReferences_bareOnesToo() {
        assertThat(MessageIds.referenced("<a@x> <b@y>", "c@z")).containsExactly("<a@x>", "<b@y>", "<c@z>");
        assertThat(MessageIds.tags(List.of("acme+T-1@ca.test", "acme@ca.test", "x+@y"))).containsExactly("T-1");
    }

    private static JsonNode readJson(byte[] bytes) {
        try {
            return JSON.readTree(bytes);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
