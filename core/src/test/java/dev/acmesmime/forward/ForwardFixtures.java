package dev.acmesmime.forward;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import dev.acmesmime.rfc8823.Check;
import dev.acmesmime.rfc8823.FailureCode;

/** Values shared by the forward tests. */
final class ForwardFixtures {
    static final Instant CREATED = Instant.parse("2026-03-01T10:00:00Z");
    static final String SECRET = "s3cr3t-hmac-key-for-tests-only";
    static final String DIGEST = "LoqXcJXvr0a2Mq7rxsmIbp3LUy8yfdo6Hg5tUqyIRgg";
    static final String TOKEN1 = "aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789-_aBcDeF";

    private ForwardFixtures() {
    }

    static ValidatedResponse response(String id, Instant receivedAt) {
        byte[] raw = ("From: alice@example.org\r\nTo: acme+t1@ca.example\r\nSubject: Re: ACME: " + TOKEN1
                + "\r\nMessage-ID: <r-" + id + "@example.org>\r\nIn-Reply-To: <c1@ca.example>\r\n\r\n"
                + "-----BEGIN ACME RESPONSE-----\r\n" + DIGEST + "\r\n-----END ACME RESPONSE-----\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        return new ValidatedResponse(id, receivedAt, "alice@example.org", "alice@example.org", TOKEN1, DIGEST,
                Optional.of("<r-" + id + "@example.org>"), Optional.of("<c1@ca.example>"), "<c1@ca.example>",
                CREATED, CREATED.plus(Duration.ofHours(24)),
                Set.of(CorrelationKey.SUBJECT_TOKEN, CorrelationKey.IN_REPLY_TO),
                new DkimEvidence("example.org", "sel1", "rsa-sha256", 2048,
                        List.of("from", "sender", "reply-to", "subject", "date", "message-id", "to", "cc",
                                "in-reply-to", "references")),
                List.of(Check.pass(FailureCode.SUBJECT_SYNTAX, "token-part1 read"),
                        Check.pass(FailureCode.DKIM_INVALID, "signature verified")),
                "alice@example.org", "192.0.2.7", raw);
    }
}
