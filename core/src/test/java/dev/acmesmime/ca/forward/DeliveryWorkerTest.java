package dev.acmesmime.ca.forward;

import dev.acmesmime.testing.MutableClock;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.acmesmime.ca.CountingMetrics;
import dev.acmesmime.metrics.MetricNames;
import dev.acmesmime.store.AuditEvent;
import dev.acmesmime.store.AcmeSmimeStore;
import dev.acmesmime.store.AuditQuery;
import dev.acmesmime.store.AuditRecord;
import dev.acmesmime.store.OutboxItem;
import dev.acmesmime.store.OutboxState;
import dev.acmesmime.store.RetryPolicy;
import dev.acmesmime.store.SecretBytes;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okhttp3.mockwebserver.SocketPolicy;

/**
 * The three wire contracts and the outbox delivery against a real HTTP server on loopback
 * (okhttp MockWebServer) and a real H2 store.
 */
class DeliveryWorkerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final RetryPolicy POLICY = ForwardFixtures.POLICY;

    @TempDir
    Path home;
    MutableClock clock;
    AcmeSmimeStore store;
    MockWebServer server;

    @BeforeEach
    void setUp() throws IOException {
        clock = new MutableClock(ForwardFixtures.CREATED.plus(Duration.ofMinutes(5)));
        store = ForwardFixtures.openStore(home, clock);
        server = new MockWebServer();
        server.start(InetAddress.getLoopbackAddress(), 0);
    }

    @AfterEach
    void tearDown() throws IOException {
        server.shutdown();
        store.close();
    }

    private ForwardTarget target(ForwardContract contract, int port) {
        return ForwardFixtures.target(home, contract, "http://127.0.0.1:" + port + "/hook");
    }

    private DeliveryWorker worker(ForwardTarget target) {
        return ForwardFixtures.worker(store, target, clock, POLICY);
    }

    private OutboxItem enqueue(ForwardContract contract, String id) {
        return ForwardFixtures.enqueue(store, contract, id, clock.instant());
    }

    private List<AuditRecord> audit(String event) {
        return ForwardFixtures.audit(store, event);
    }

    private static String hmacHex(byte[] data) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(ForwardFixtures.SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(data));
    }

    @Test
    void metrics_countAttemptsAndFailures_timeFromReceiptToTheAnswer_andGaugeTheOutbox() throws Exception {
        CountingMetrics metrics = new CountingMetrics();
        DeliveryWorker testee = DeliveryWorker.builder().outbox(store.outbox()).audit(store.audit())
                .client(new ForwardClient(target(ForwardContract.NATIVE, server.getPort()), clock)).retryPolicy(POLICY)
                .clock(clock).threads(1).random(new Random(7)).metrics(metrics).build();
        assertThat(metrics.gauge(MetricNames.CA_OUTBOX_DEPTH)).isZero();
        assertThat(metrics.gauge(MetricNames.CA_OUTBOX_OLDEST_AGE)).isZero();
        enqueue(ForwardContract.NATIVE, "v-1");
        clock.advance(Duration.ofSeconds(10));
        enqueue(ForwardContract.NATIVE, "v-2");
        clock.advance(Duration.ofSeconds(5));
        assertThat(metrics.gauge(MetricNames.CA_OUTBOX_DEPTH)).isEqualTo(2);
        assertThat(metrics.gauge(MetricNames.CA_OUTBOX_OLDEST_AGE)).isEqualTo(15);
        server.enqueue(new MockResponse().setResponseCode(503));
        server.enqueue(new MockResponse().setResponseCode(200)
                .setHeader("Content-Type", "application/json").setBody("{\"outcome\":\"valid\"}"));

        assertThat(testee.runOnce()).isEqualTo(2);

        assertThat(metrics.counters()).containsExactlyInAnyOrderEntriesOf(Map.of(
                MetricNames.CA_FORWARD_ATTEMPTS, 2L, MetricNames.CA_FORWARD_FAILURES, 1L));
        // v-2 was received 5 s before the server's answer (the test clock stands still while sending)
        assertThat(metrics.timer(MetricNames.CA_FORWARD_LATENCY)).containsExactly(Duration.ofSeconds(5));
        assertThat(metrics.gauge(MetricNames.CA_OUTBOX_DEPTH)).as("v-1 waits for its retry").isEqualTo(1);
        assertThat(metrics.gauge(MetricNames.CA_OUTBOX_OLDEST_AGE)).isEqualTo(15);
    }

    @Test
    void nativeContract_bodyFollowsTheSchema_hmacVerifies_andTheServersOutcomeIsStored() throws Exception {
        server.enqueue(new MockResponse().setResponseCode(200)
                .setHeader("Content-Type", "application/json").setBody("{\"outcome\":\"valid\",\"detail\":\"ok\"}"));
        OutboxItem item = enqueue(ForwardContract.NATIVE, "v-1");

        assertThat(worker(target(ForwardContract.NATIVE, server.getPort())).runOnce()).isEqualTo(1);

        RecordedRequest req = server.takeRequest(10, TimeUnit.SECONDS);
        byte[] body = req.getBody().readByteArray();
        assertThat(req.getMethod()).isEqualTo("POST");
        assertThat(req.getPath()).isEqualTo("/hook");
        assertThat(req.getHeader("Content-Type")).startsWith("application/json");
        assertThat(req.getHeader("Idempotency-Key")).isEqualTo("v-1");
        String ts = req.getHeader(Hmac.TIMESTAMP_HEADER);
        assertThat(ts).isEqualTo(Long.toString(clock.instant().getEpochSecond()));
        assertThat(req.getHeader(Hmac.SIGNATURE_HEADER))
                .isEqualTo("sha256=" + hmacHex((ts + "." + new String(body, StandardCharsets.UTF_8))
                        .getBytes(StandardCharsets.UTF_8)));
        NativeSignatureVerifier verifier = NativeSignatureVerifier.builder()
                .key("k1", SecretBytes.of(ForwardFixtures.SECRET.getBytes(StandardCharsets.UTF_8))).clock(clock).build();
        assertThat(verifier.verify(req.getHeader(Hmac.KEY_ID_HEADER), ts, req.getHeader(Hmac.SIGNATURE_HEADER), body))
                .isEqualTo(NativeSignatureVerifier.Result.OK);

        JsonNode n = JSON.readTree(body);
        assertThat(n.path("identifier").path("value").asText()).isEqualTo("alice@example.org");
        assertThat(n.path("from").asText()).isEqualTo("alice@example.org");
        assertThat(n.path("tokenPart1").asText()).isEqualTo(ForwardFixtures.TOKEN1);
        assertThat(n.path("digest").asText()).isEqualTo(ForwardFixtures.DIGEST);
        assertThat(n.path("method").asText()).isEqualTo("SBR 3.2.2.4 v1.0.10");
        assertThat(n.path("challenge").path("messageId").asText()).isEqualTo("<c1@ca.example>");
        assertThat(n.path("correlation")).extracting(JsonNode::asText).containsExactly("subject-token", "in-reply-to");
        assertThat(n.path("checks").get(1).path("code").asText()).isEqualTo("dkim-invalid");
        assertThat(n.path("dkim").path("keyBits").asInt()).isEqualTo(2048);
        assertFollowsSchema(n);

        assertThat(store.outbox().find(item.id()).orElseThrow().state()).isEqualTo(OutboxState.DONE);
        List<AuditRecord> delivered = audit(AuditEvent.FORWARD_DELIVERED.value());
        assertThat(delivered).singleElement().satisfies(a -> {
            assertThat(a.outcome()).contains("valid");
            assertThat(a.address()).contains("alice@example.org");
            assertThat(a.token()).contains(ForwardFixtures.TOKEN1);
            assertThat(a.detail().orElseThrow()).contains("HTTP 200");
        });
    }

    /** Every required property of the schema is present, and no property the schema does not know. */
    private static void assertFollowsSchema(JsonNode body) throws IOException {
        JsonNode schema = JSON.readTree(DeliveryWorkerTest.class.getResourceAsStream(ForwardPayloads.NATIVE_SCHEMA));
        assertObject(body, schema);
    }

    private static void assertObject(JsonNode value, JsonNode schema) {
        Set<String> required = new TreeSet<>();
        schema.path("required").forEach(r -> required.add(r.asText()));
        Set<String> known = new TreeSet<>();
        schema.path("properties").fieldNames().forEachRemaining(known::add);
        Set<String> present = new TreeSet<>();
        value.fieldNames().forEachRemaining(present::add);
        assertThat(present).containsAll(required);
        assertThat(known).containsAll(present);
        for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode sub = schema.path("properties").path(e.getKey());
            if (e.getValue().isObject() && sub.has("properties")) {
                assertObject(e.getValue(), sub);
            }
            if (sub.has("const")) {
                assertThat(e.getValue()).as(e.getKey()).isEqualTo(sub.get("const"));
            }
            if (sub.has("pattern")) {
                assertThat(e.getValue().asText()).matches(sub.get("pattern").asText());
            }
        }
    }

    @Test
    void nativeVerifier_refusesTamperedStaleUnknownAndReplayedRequests() {
        SecretBytes key = SecretBytes.of(ForwardFixtures.SECRET.getBytes(StandardCharsets.UTF_8));
        NativeSignatureVerifier v = NativeSignatureVerifier.builder().key("k1", key).clock(clock)
                .replayWindow(Duration.ofMinutes(5)).build();
        byte[] body = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);
        long now = clock.instant().getEpochSecond();
        String sig = Hmac.nativeSignature(key, now, body);

        assertThat(v.verify("k1", Long.toString(now), sig, "{\"a\":2}".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(NativeSignatureVerifier.Result.BAD_SIGNATURE);
        assertThat(v.verify("k2", Long.toString(now), sig, body)).isEqualTo(NativeSignatureVerifier.Result.UNKNOWN_KEY);
        assertThat(v.verify("k1", "yesterday", sig, body)).isEqualTo(NativeSignatureVerifier.Result.BAD_TIMESTAMP);
        assertThat(v.verify("k1", null, sig, body)).isEqualTo(NativeSignatureVerifier.Result.MISSING_HEADER);
        long old = now - 301;
        assertThat(v.verify("k1", Long.toString(old), Hmac.nativeSignature(key, old, body), body))
                .isEqualTo(NativeSignatureVerifier.Result.OUTSIDE_WINDOW);
        assertThat(v.verify("k1", Long.toString(now), sig, body)).isEqualTo(NativeSignatureVerifier.Result.OK);
        assertThat(v.verify("k1", Long.toString(now), sig, body)).isEqualTo(NativeSignatureVerifier.Result.REPLAYED);
        // the timestamp is signed: moving it to look fresh breaks the signature
        assertThat(v.verify("k1", Long.toString(now + 1), sig, body)).isEqualTo(NativeSignatureVerifier.Result.BAD_SIGNATURE);
    }

    @Test
    void akamuContract_sendsItsFiveFields_withTheBodyHmacInXAkamuSignature() throws Exception {
        server.enqueue(new MockResponse().setResponseCode(200).setBody("{}"));
        enqueue(ForwardContract.AKAMU, "a-1");

        worker(target(ForwardContract.AKAMU, server.getPort())).runOnce();

        RecordedRequest req = server.takeRequest(10, TimeUnit.SECONDS);
        byte[] body = req.getBody().readByteArray();
        assertThat(req.getHeader("X-Akamu-Signature")).isEqualTo("sha256=" + hmacHex(body));
        JsonNode n = JSON.readTree(body);
        Set<String> fields = new TreeSet<>();
        n.fieldNames().forEachRemaining(fields::add);
        assertThat(fields).containsExactly("body", "dkim_domain", "dkim_status", "from", "in_reply_to");
        assertThat(n.path("from").asText()).isEqualTo("alice@example.org");
        assertThat(n.path("in_reply_to").asText()).isEqualTo("<c1@ca.example>");
        assertThat(n.path("dkim_domain").asText()).isEqualTo("example.org");
        assertThat(n.path("dkim_status").asText()).isEqualTo("pass");
        assertThat(n.path("body").asText()).isEqualTo("-----BEGIN ACME RESPONSE-----\r\n" + ForwardFixtures.DIGEST
                + "\r\n-----END ACME RESPONSE-----\r\n");
        assertThat(req.getHeader(Hmac.SIGNATURE_HEADER)).isNull();
        assertThat(audit(AuditEvent.FORWARD_DELIVERED.value())).singleElement()
                .satisfies(a -> assertThat(a.outcome()).contains("delivered"));
    }

    @Test
    void anItemQueuedUnderAnotherContract_isSignedByTheContractItsBodyWasBuiltFor() throws Exception {
        server.enqueue(new MockResponse().setResponseCode(200).setBody("{}"));
        enqueue(ForwardContract.AKAMU, "a-2");

        // the configuration changed to native after the item was queued
        worker(target(ForwardContract.NATIVE, server.getPort())).runOnce();

        RecordedRequest req = server.takeRequest(10, TimeUnit.SECONDS);
        byte[] body = req.getBody().readByteArray();
        assertThat(req.getHeader("X-Akamu-Signature")).isEqualTo("sha256=" + hmacHex(body));
        assertThat(req.getHeader(Hmac.SIGNATURE_HEADER)).isNull();
        assertThat(audit(AuditEvent.FORWARD_DELIVERED.value())).singleElement()
                .satisfies(a -> assertThat(a.outcome()).contains("delivered"));
    }

    @Test
    void rawBridge_sendsTheMessageAsReceived_withBearerAndEnvelopeHeaders() throws Exception {
        server.enqueue(new MockResponse().setResponseCode(202));
        enqueue(ForwardContract.RAW_BRIDGE, "r-1");

        worker(target(ForwardContract.RAW_BRIDGE, server.getPort())).runOnce();

        RecordedRequest req = server.takeRequest(10, TimeUnit.SECONDS);
        assertThat(req.getBody().readByteArray()).isEqualTo(ForwardFixtures.response("r-1", clock.instant()).mail().raw());
        assertThat(req.getHeader("Authorization")).isEqualTo("Bearer " + ForwardFixtures.SECRET);
        assertThat(req.getHeader("X-Envelope-From")).isEqualTo("alice@example.org");
        assertThat(req.getHeader("X-Remote-Address")).isEqualTo("192.0.2.7");
        assertThat(req.getHeader("Content-Type")).startsWith("message/rfc822");
        assertThat(audit(AuditEvent.FORWARD_DELIVERED.value())).hasSize(1);
    }

    @Test
    void outage503_thenRecovery_deliversEveryItemExactlyOnce_andRecordsEachFailedAttempt() throws Exception {
        ForwardTarget target = target(ForwardContract.NATIVE, server.getPort());
        DeliveryWorker worker = worker(target);
        for (int i = 0; i < 5; i++) {
            enqueue(ForwardContract.NATIVE, "o-" + i);
        }
        for (int i = 0; i < 10; i++) {
            server.enqueue(new MockResponse().setResponseCode(503).setBody("down"));
        }
        assertThat(worker.runOnce()).isEqualTo(5);
        assertThat(worker.runOnce()).as("nothing due before the back-off delay").isZero();
        clock.advance(Duration.ofSeconds(16)); // 10 s delay + at most 50 % jitter
        assertThat(worker.runOnce()).isEqualTo(5);
        assertThat(store.outbox().listPending(100)).hasSize(5);
        assertThat(audit(AuditEvent.FORWARD_ATTEMPT_FAILED.value())).hasSize(10)
                .allSatisfy(a -> assertThat(a.outcome()).contains("http-503"));

        for (int i = 0; i < 5; i++) {
            server.enqueue(new MockResponse().setResponseCode(200).setBody("{\"outcome\":\"valid\"}"));
        }
        clock.advance(Duration.ofSeconds(31)); // 20 s delay + jitter
        assertThat(worker.runOnce()).isEqualTo(5);
        clock.advance(Duration.ofHours(1));
        assertThat(worker.runOnce()).isZero();

        assertThat(server.getRequestCount()).isEqualTo(15);
        Map<String, Integer> okPerId = new HashMap<>();
        for (int i = 0; i < 15; i++) {
            RecordedRequest r = server.takeRequest(1, TimeUnit.SECONDS);
            if (i >= 10) {
                okPerId.merge(r.getHeader("Idempotency-Key"), 1, Integer::sum);
            }
        }
        assertThat(okPerId).containsOnlyKeys("o-0", "o-1", "o-2", "o-3", "o-4").allSatisfy((k, v) -> assertThat(v).isEqualTo(1));
        assertThat(store.outbox().listPending(100)).isEmpty();
        assertThat(store.outbox().listFailed(100)).isEmpty();
        assertThat(audit(AuditEvent.FORWARD_DELIVERED.value())).hasSize(5);
    }

    @Test
    void whenTheServerAnswersAgainAfterRefusing_theResultsWaitingOutTheirBackOff_areSentAtOnce() throws Exception {
        DeliveryWorker worker = worker(target(ForwardContract.NATIVE, server.getPort()));
        for (int i = 0; i < 3; i++) {
            enqueue(ForwardContract.NATIVE, "w-" + i);
            server.enqueue(new MockResponse().setResponseCode(503).setBody("down"));
        }
        assertThat(worker.runOnce()).isEqualTo(3);
        assertThat(worker.runOnce()).as("waiting out the back-off").isZero();

        enqueue(ForwardContract.NATIVE, "fresh");
        for (int i = 0; i < 4; i++) {
            server.enqueue(new MockResponse().setResponseCode(200).setBody("{\"outcome\":\"valid\"}"));
        }
        assertThat(worker.runOnce()).as("the fresh result finds the server back").isEqualTo(1);
        assertThat(worker.runOnce()).as("the three waiting ones are due without the clock moving").isEqualTo(3);

        assertThat(store.outbox().listPending(100)).isEmpty();
        assertThat(audit(AuditEvent.FORWARD_DELIVERED.value())).hasSize(4);
        assertThat(server.getRequestCount()).isEqualTo(7);
    }

    @Test
    void aResultTheServerRefusesAlone_keepsItsBackOff_whileOthersAreDelivered() throws Exception {
        // the server rejects one result (400) and takes the other: not an outage, nothing brought forward
        server.setDispatcher(new okhttp3.mockwebserver.Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return "bad".equals(request.getHeader("Idempotency-Key"))
                        ? new MockResponse().setResponseCode(400).setBody("no")
                        : new MockResponse().setResponseCode(200).setBody("{\"outcome\":\"valid\"}");
            }
        });
        DeliveryWorker worker = worker(target(ForwardContract.NATIVE, server.getPort()));
        OutboxItem bad = enqueue(ForwardContract.NATIVE, "bad");
        enqueue(ForwardContract.NATIVE, "good");
        assertThat(worker.runOnce()).isEqualTo(2);
        enqueue(ForwardContract.NATIVE, "good-2");
        assertThat(worker.runOnce()).as("only the new one; the refused one keeps its back-off").isEqualTo(1);
        assertThat(store.outbox().find(bad.id()).orElseThrow().state()).isEqualTo(OutboxState.PENDING);
        assertThat(server.getRequestCount()).isEqualTo(3);
    }

    @Test
    void connectionRefused_thenTheServerComesBack_onTheSamePort_deliversOnce() throws Exception {
        int port = server.getPort();
        server.shutdown();
        DeliveryWorker worker = worker(target(ForwardContract.NATIVE, port));
        OutboxItem item = enqueue(ForwardContract.NATIVE, "c-1");

        assertThat(worker.runOnce()).isEqualTo(1);
        assertThat(audit(AuditEvent.FORWARD_ATTEMPT_FAILED.value())).singleElement()
                .satisfies(a -> assertThat(a.outcome()).contains("io-error"));
        assertThat(store.outbox().find(item.id()).orElseThrow().lastError().orElseThrow()).contains("ConnectException");

        server = new MockWebServer();
        server.start(InetAddress.getLoopbackAddress(), port);
        server.enqueue(new MockResponse().setResponseCode(200).setBody("{\"outcome\":\"valid\"}"));
        clock.advance(Duration.ofSeconds(16));
        assertThat(worker.runOnce()).isEqualTo(1);
        assertThat(server.getRequestCount()).isEqualTo(1);
        assertThat(store.outbox().find(item.id()).orElseThrow().state()).isEqualTo(OutboxState.DONE);
    }

    @Test
    void aConnectionDroppedMidAnswer_isRetried() throws Exception {
        server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AFTER_REQUEST));
        server.enqueue(new MockResponse().setResponseCode(200).setBody("{\"outcome\":\"valid\"}"));
        DeliveryWorker worker = worker(target(ForwardContract.NATIVE, server.getPort()));
        OutboxItem item = enqueue(ForwardContract.NATIVE, "d-1");
        worker.runOnce();
        clock.advance(Duration.ofSeconds(16));
        worker.runOnce();
        assertThat(server.getRequestCount()).isEqualTo(2);
        assertThat(store.outbox().find(item.id()).orElseThrow().state()).isEqualTo(OutboxState.DONE);
    }

    @Test
    void b7_anItemStillUndeliveredWhenTheChallengeExpires_isFailedAsExpired_andNotSent() {
        DeliveryWorker worker = worker(target(ForwardContract.NATIVE, server.getPort()));
        server.enqueue(new MockResponse().setResponseCode(503));
        OutboxItem item = enqueue(ForwardContract.NATIVE, "e-1");
        worker.runOnce();
        clock.advance(Duration.ofHours(24)); // past CREATED + 24 h

        assertThat(worker.runOnce()).isEqualTo(1);

        assertThat(server.getRequestCount()).isEqualTo(1);
        OutboxItem after = store.outbox().find(item.id()).orElseThrow();
        assertThat(after.state()).isEqualTo(OutboxState.FAILED);
        assertThat(after.lastError().orElseThrow()).startsWith("expired");
        assertThat(audit(AuditEvent.FORWARD_EXPIRED.value())).singleElement()
                .satisfies(a -> assertThat(a.outcome()).contains(DeliveryWorker.OUTCOME_EXPIRED));
    }

    @Test
    void retriesAreJittered_withinHalfTheBackOffDelay() {
        DeliveryWorker worker = worker(target(ForwardContract.NATIVE, server.getPort()));
        for (int i = 0; i < 8; i++) {
            server.enqueue(new MockResponse().setResponseCode(500));
            enqueue(ForwardContract.NATIVE, "j-" + i);
        }
        worker.runOnce();
        Set<java.time.Instant> due = new TreeSet<>();
        for (OutboxItem i : store.outbox().listPending(100)) {
            assertThat(i.nextAttemptAt()).isBetween(clock.instant().plusSeconds(10), clock.instant().plusSeconds(15));
            due.add(i.nextAttemptAt());
        }
        assertThat(due).as("not all due in the same instant").hasSizeGreaterThan(1);
    }

    @Test
    void secretsNeverAppearInAuditRecordsOrOutboxErrors() {
        server.enqueue(new MockResponse().setResponseCode(401).setBody("bad token"));
        enqueue(ForwardContract.RAW_BRIDGE, "s-1");
        worker(target(ForwardContract.RAW_BRIDGE, server.getPort())).runOnce();
        assertThat(store.audit().find(AuditQuery.builder().build()))
                .allSatisfy(a -> assertThat(a.toString()).doesNotContain(ForwardFixtures.SECRET));
        assertThat(store.outbox().listPending(10)).allSatisfy(i -> assertThat(i.lastError().orElse(""))
                .contains("HTTP 401").doesNotContain(ForwardFixtures.SECRET));
        assertThat(target(ForwardContract.RAW_BRIDGE, 1).toString()).doesNotContain(ForwardFixtures.SECRET);
    }

    @Test
    void targetSettings_nameTheKeyAtFault() {
        Properties p = new Properties();
        assertThatMessage(p).startsWith(ForwardTarget.URL);
        p.setProperty(ForwardTarget.URL, "http://ca.example/hook");
        p.setProperty(ForwardTarget.SECRET_FILE, "forward.secret");
        assertThatMessage(p).startsWith(ForwardTarget.URL).contains("https");
        p.setProperty(ForwardTarget.URL, "https://ca.example/hook");
        p.setProperty(ForwardTarget.CONTRACT, "soap");
        assertThatMessage(p).startsWith(ForwardTarget.CONTRACT).contains("native, akamu, raw");
        p.setProperty(ForwardTarget.CONTRACT, "akamu");
        p.setProperty(ForwardTarget.SECRET_FILE, "missing.secret");
        assertThatMessage(p).startsWith(ForwardTarget.SECRET_FILE);
        p.setProperty(ForwardTarget.SECRET_FILE, "forward.secret");
        p.setProperty(ForwardTarget.TIMEOUT_SECONDS, "0");
        assertThatMessage(p).startsWith(ForwardTarget.TIMEOUT_SECONDS);
        p.remove(ForwardTarget.TIMEOUT_SECONDS);
        assertThat(ForwardTarget.fromProperties(p, home).url()).isEqualTo(URI.create("https://ca.example/hook"));
    }

    private org.assertj.core.api.AbstractStringAssert<?> assertThatMessage(Properties p) {
        Optional<String> message = Optional.empty();
        try {
            ForwardTarget.fromProperties(p, home);
        } catch (IllegalArgumentException e) {
            message = Optional.of(e.getMessage());
        }
        return assertThat(message.orElse("<accepted>"));
    }
}
