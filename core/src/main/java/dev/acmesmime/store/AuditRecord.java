package dev.acmesmime.store;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One piece of evidence: what happened, when, to which address and token.
 *
 * @param id         the audit log's sequence number
 * @param occurredAt when it was appended (the store's clock)
 * @param event      what happened, a stable kebab-case name such as {@code response-forwarded}
 * @param address    the mailbox concerned
 * @param token      the token concerned (token-part1, for instance)
 * @param messageId  the Message-ID of the mail concerned
 * @param outcome    a stable code for the outcome, such as a failure code
 * @param detail     one line of detail (at most 8000 characters)
 */
public record AuditRecord(long id, Instant occurredAt, String event, Optional<String> address, Optional<String> token,
                          Optional<String> messageId, Optional<String> outcome, Optional<String> detail) {

    public AuditRecord {
        Objects.requireNonNull(occurredAt, "occurredAt");
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(detail, "detail");
    }

    /** Starts an entry to {@link AuditStore#append append}. */
    public static Entry entry(String event) {
        return new Entry(event);
    }

    /** What a caller appends; the store adds the id and the time. Not to be reused after appending. */
    public static final class Entry {
        final String event;
        String address;
        String token;
        String messageId;
        String outcome;
        String detail;

        private Entry(String event) {
            if (event == null || event.isBlank() || event.length() > 64) {
                throw new IllegalArgumentException("event must be 1..64 characters");
            }
            this.event = event;
        }

        public Entry address(String address) {
            this.address = limit(address, 320, "address");
            return this;
        }

        public Entry token(String token) {
            this.token = limit(token, 255, "token");
            return this;
        }

        public Entry messageId(String messageId) {
            this.messageId = limit(messageId, 998, "messageId");
            return this;
        }

        public Entry outcome(String outcome) {
            this.outcome = limit(outcome, 64, "outcome");
            return this;
        }

        /** Longer details are cut at 8000 characters rather than refused: evidence is never dropped. */
        public Entry detail(String detail) {
            this.detail = detail == null || detail.length() <= 8000 ? detail : detail.substring(0, 7999) + "…";
            return this;
        }

        private static String limit(String value, int max, String name) {
            if (value != null && value.length() > max) {
                throw new IllegalArgumentException(name + " longer than " + max + " characters");
            }
            return value;
        }
    }
}
