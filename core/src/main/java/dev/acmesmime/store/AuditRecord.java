package dev.acmesmime.store;

import java.time.Instant;
import java.util.List;
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
 * @param detail     one line of detail (at most {@value RecordLimits#DETAIL} characters)
 * @param codes      every stable code of the outcome, in order, for events that have several (a decision's
 *                   failure and decision codes); empty for the others
 */
public record AuditRecord(long id, Instant occurredAt, String event, Optional<String> address, Optional<String> token,
                          Optional<String> messageId, Optional<String> outcome, Optional<String> detail,
                          List<String> codes) {

    public AuditRecord {
        Objects.requireNonNull(occurredAt, "occurredAt");
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(detail, "detail");
        codes = List.copyOf(codes);
    }

    /** A record of an event with at most one code, its {@code outcome}. */
    public AuditRecord(long id, Instant occurredAt, String event, Optional<String> address, Optional<String> token,
                       Optional<String> messageId, Optional<String> outcome, Optional<String> detail) {
        this(id, occurredAt, event, address, token, messageId, outcome, detail, List.of());
    }

    /** Starts an entry to {@link AuditStore#append append}. */
    public static Entry entry(AuditEvent event) {
        return new Entry(event.value());
    }

    /**
     * What a caller appends; the store adds the id and the time. Values longer than their column are
     * shortened by {@link RecordLimits}' one rule. Not to be reused after appending.
     */
    public static final class Entry {
        final String event;
        String address;
        String token;
        String messageId;
        String outcome;
        String detail;
        List<String> codes = List.of();

        private Entry(String event) {
            this.event = event;
        }

        public Entry address(String address) {
            this.address = RecordLimits.shorten(address, RecordLimits.ADDRESS);
            return this;
        }

        public Entry token(String token) {
            this.token = RecordLimits.shorten(token, RecordLimits.TOKEN);
            return this;
        }

        public Entry messageId(String messageId) {
            this.messageId = RecordLimits.shorten(messageId, RecordLimits.MESSAGE_ID);
            return this;
        }

        public Entry outcome(String outcome) {
            this.outcome = RecordLimits.shorten(outcome, RecordLimits.OUTCOME);
            return this;
        }

        public Entry detail(String detail) {
            this.detail = RecordLimits.shorten(detail, RecordLimits.DETAIL);
            return this;
        }

        /**
         * Every stable code of the outcome, kept as data so that readers never parse them back out of
         * {@code detail}. Codes are never shortened: each is a short fixed word, and a cut code would be
         * another code (C19).
         *
         * @throws IllegalArgumentException when a code holds the separator {@code ,} or the codes
         *         together exceed {@value RecordLimits#CODES} characters
         */
        public Entry codes(List<String> codes) {
            if (codes.stream().anyMatch(c -> c.isEmpty() || c.contains(","))
                    || String.join(",", codes).length() > RecordLimits.CODES) {
                throw new IllegalArgumentException("not a list of stable codes: " + codes);
            }
            this.codes = List.copyOf(codes);
            return this;
        }
    }
}
