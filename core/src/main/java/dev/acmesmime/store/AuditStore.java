package dev.acmesmime.store;

import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * Append-only evidence of what the plugin did (validated responses, forwards, answered
 * challenges). Records are never changed; they are only purged once older than the retention
 * period ({@value StoreSettings#AUDIT_RETENTION_DAYS}, default 825 days).
 */
public interface AuditStore {

    /** Appends a record stamped with the store's clock. */
    AuditRecord append(AuditRecord.Entry entry);

    /** The records matching {@code query}, oldest first. */
    List<AuditRecord> find(AuditQuery query);

    /**
     * The newest records for {@code address} with one of the given events, newest first (for admin
     * views such as "the latest decisions for this mailbox").
     *
     * @param limit at most this many (1..1000)
     */
    List<AuditRecord> latest(String address, Set<AuditEvent> events, int limit);

    /** How long records are kept. */
    Duration retention();

    /**
     * Deletes records older than {@link #retention()}.
     *
     * @return how many were deleted
     */
    int purgeExpired();
}
