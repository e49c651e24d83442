package dev.acmesmime.store;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The full evidence of one decision (S/MIME BR §3.2.2 and §5.4.1, checklist B10, B15–B18): a JSON
 * document with the raw message, the SMTP envelope, the DKIM details, every check and the
 * correlation keys, indexed by address, token and Message-ID.
 *
 * @param id         the evidence log's sequence number
 * @param occurredAt when it was appended (the store's clock)
 * @param kind       what was decided, such as {@code response} or {@code challenge}
 * @param address    the mailbox concerned
 * @param token      token-part1
 * @param messageId  the Message-ID of the mail
 * @param outcome    a stable outcome code
 * @param json       the record, UTF-8 JSON
 */
public record EvidenceRecord(long id, Instant occurredAt, String kind, Optional<String> address, Optional<String> token,
                             Optional<String> messageId, String outcome, byte[] json) {

    public EvidenceRecord {
        Objects.requireNonNull(occurredAt, "occurredAt");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(outcome, "outcome");
        json = json.clone();
    }

    @Override
    public byte[] json() {
        return json.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EvidenceRecord e && e.id == id;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(id);
    }

    @Override
    public String toString() {
        return "EvidenceRecord[id=" + id + ", kind=" + kind + ", outcome=" + outcome + ", " + json.length + " bytes]";
    }
}
