package dev.acmesmime.ca.forward;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import dev.acmesmime.rfc8823.Check;
import dev.acmesmime.rfc8823.FailureCode;
import dev.acmesmime.store.AcmeSmimeStore;
import dev.acmesmime.store.AuditQuery;
import dev.acmesmime.store.AuditRecord;
import dev.acmesmime.store.OutboxItem;
import dev.acmesmime.store.RetryPolicy;

/** Values shared by the forward tests. */
public final class ForwardFixtures {
    public static final Instant CREATED = Instant.parse("2026-03-01T10:00:00Z");
    public static final String SECRET = "s3cr3t-hmac-key-for-tests-only";
    public static final String DIGEST = "LoqXcJXvr0a2Mq7rxsmIbp3LUy8yfdo6Hg5tUqyIRgg";
    public static final String TOKEN1 = "aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789-_aBcDeF";

    private ForwardFixtures() {
    }

    /** The back-off of the delivery tests: 10 s doubling up to 5 min. */
    public static final RetryPolicy POLICY =
            new RetryPolicy(Duration.ofSeconds(10), Duration.ofMinutes(5), 100, Duration.ofMinutes(2));

    /** An H2 store under {@code home} with {@link #POLICY}, and {@code home/forward.secret} holding {@link #SECRET}. */
    public static AcmeSmimeStore openStore(java.nio.file.Path home, java.time.Clock clock) throws java.io.IOException {
        java.nio.file.Files.writeString(home.resolve("forward.secret"), SECRET + "\n");
        return AcmeSmimeStore.builder(dev.acmesmime.store.StoreSettings.fromProperties(new java.util.Properties(), home))
                .clock(clock).retryPolicy(POLICY).open();
    }

    /** A target at {@code url} under {@code contract}, signing with {@code home/forward.secret} as key id k1. */
    public static ForwardTarget target(java.nio.file.Path home, ForwardContract contract, String url) {
        java.util.Properties p = new java.util.Properties();
        p.setProperty(ForwardTarget.URL, url);
        p.setProperty(ForwardTarget.CONTRACT, contract.option());
        p.setProperty(ForwardTarget.SECRET_FILE, "forward.secret");
        p.setProperty(ForwardTarget.KEY_ID, "k1");
        return ForwardTarget.fromProperties(p, home);
    }

    /** A worker on {@code store} sending to {@code target}, with a fixed random seed for the jitter. */
    public static DeliveryWorker worker(AcmeSmimeStore store, ForwardTarget target, java.time.Clock clock, RetryPolicy policy) {
        return DeliveryWorker.builder().outbox(store.outbox()).audit(store.audit())
                .client(new ForwardClient(target, clock)).retryPolicy(policy).clock(clock).batchSize(10)
                .random(new java.util.Random(7)).build();
    }

    /** Queues {@link #response} for the default destination under {@code contract}. */
    public static OutboxItem enqueue(AcmeSmimeStore store, ForwardContract contract, String id, Instant now) {
        return store.outbox().enqueue(ForwardTarget.DEFAULT_NAME,
                ForwardPayloads.envelope(contract, response(id, now)).toBytes());
    }

    public static List<AuditRecord> audit(AcmeSmimeStore store, String event) {
        return store.audit().find(AuditQuery.builder().build()).stream().filter(a -> a.event().equals(event)).toList();
    }

    public static ValidatedResponse response(String id, Instant receivedAt) {
        byte[] raw = ("From: alice@example.org\r\nTo: acme+t1@ca.example\r\nSubject: Re: ACME: " + TOKEN1
                + "\r\nMessage-ID: <r-" + id + "@example.org>\r\nIn-Reply-To: <c1@ca.example>\r\n\r\n"
                + "-----BEGIN ACME RESPONSE-----\r\n" + DIGEST + "\r\n-----END ACME RESPONSE-----\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        return new ValidatedResponse(id, receivedAt, "alice@example.org", "alice@example.org", TOKEN1, DIGEST,
                new ValidatedResponse.Answered("<c1@ca.example>", CREATED, CREATED.plus(Duration.ofHours(24))),
                Set.of(CorrelationKey.SUBJECT_TOKEN, CorrelationKey.IN_REPLY_TO),
                new DkimEvidence("example.org", "sel1", "rsa-sha256", 2048,
                        List.of("from", "sender", "reply-to", "subject", "date", "message-id", "to", "cc",
                                "in-reply-to", "references")),
                List.of(Check.pass(FailureCode.SUBJECT_SYNTAX, "token-part1 read"),
                        Check.pass(FailureCode.DKIM_INVALID, "signature verified")),
                new ValidatedResponse.Received(Optional.of("<r-" + id + "@example.org>"),
                        Optional.of("<c1@ca.example>"), "alice@example.org", "192.0.2.7", raw));
    }
}
