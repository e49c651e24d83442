package dev.acmesmime.james.webadmin;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.acmesmime.ca.forward.ForwardContract;
import dev.acmesmime.ca.forward.ForwardEnvelope;
import dev.acmesmime.store.AcmeSmimeStore;
import dev.acmesmime.store.AuditEvent;
import dev.acmesmime.store.AuditQuery;
import dev.acmesmime.store.AuditRecord;
import dev.acmesmime.store.EvidenceRecord;
import dev.acmesmime.store.OutboxItem;

/** Records for {@link CaRoutesTest}, written through the store as the CA role writes them, read back as stored. */
final class CaRoutesFixtures {
    /** 32 octets, base64url: a token-part1 core accepts (C4). */
    static final String TOKEN = "LgYemJLy3F1LDkiJrdIGbEzyFJyOyf6vBdyZ1TG3sME";
    static final Instant EXPIRES = Instant.parse("2030-01-01T00:00:00Z");
    static final String DESTINATION = "http://acme.test/acme/mail-result";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final AcmeSmimeStore store;

    CaRoutesFixtures(AcmeSmimeStore store) {
        this.store = store;
    }

    static String notice(String messageId, String token, String recipient, String createdAt) {
        ObjectNode n = JSON.createObjectNode();
        n.put("messageId", messageId);
        n.put("tokenPart1", token);
        n.put("recipient", recipient);
        n.put("responseAddress", "acme+t1@ca.example");
        if (createdAt != null) {
            n.put("createdAt", createdAt);
        }
        return n.toString();
    }

    AuditQuery all() {
        return AuditQuery.builder().build();
    }

    AuditRecord audit(String address, String outcome) {
        long id = store.audit().append(AuditRecord.entry(AuditEvent.CHALLENGE_REGISTERED).address(address).outcome(outcome))
                .id();
        return store.audit().find(all()).stream().filter(a -> a.id() == id).findFirst().orElseThrow();
    }

    EvidenceRecord evidence(String stored) {
        long id = store.evidence().append("response", "alice@example.org", TOKEN, "<r1@example.org>", "forwarded",
                stored.getBytes(StandardCharsets.UTF_8)).id();
        return store.evidence().find(id).orElseThrow();
    }

    /** The JSON of an evidence record up to its stored record, which {@code record} gives. */
    static String evidenceJson(EvidenceRecord e, String record) {
        return "{\"type\":\"evidence\",\"id\":" + e.id() + ",\"occurredAt\":\"" + e.occurredAt()
                + "\",\"kind\":\"response\",\"address\":\"alice@example.org\",\"token\":\"" + TOKEN
                + "\",\"messageId\":\"<r1@example.org>\",\"outcome\":\"forwarded\"," + record + "}";
    }

    OutboxItem forward(String address) {
        ForwardEnvelope envelope = new ForwardEnvelope(ForwardContract.NATIVE, "v-1", "message/rfc822",
                "the response".getBytes(StandardCharsets.US_ASCII), Map.of("X-Signature", "secret-hmac"), EXPIRES,
                address, TOKEN, "<r1@example.org>", null);
        long id = store.outbox().enqueue(DESTINATION, envelope.toBytes()).id();
        return store.outbox().find(id).orElseThrow();
    }

    /** A forward the ACME server refused for good; claim it first, as a delivery worker does. */
    OutboxItem failedForward(String error) {
        long id = forward("bob@example.org").id();
        store.outbox().claimDue(10);
        store.outbox().fail(id, error);
        return store.outbox().find(id).orElseThrow();
    }

    /** The JSON of an outbox item up to what it carries. */
    static String outboxJson(OutboxItem i, String state, int attempts) {
        return "{\"id\":" + i.id() + ",\"destination\":\"" + i.destination() + "\",\"state\":\"" + state
                + "\",\"attempts\":" + attempts + ",\"createdAt\":\"" + i.createdAt() + "\",\"nextAttemptAt\":\""
                + i.nextAttemptAt() + "\",";
    }
}
