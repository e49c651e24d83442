package dev.acmesmime.store;

import java.util.List;
import java.util.Optional;

/**
 * Append-only full evidence records, kept as long as the audit log ({@link AuditStore#retention()},
 * default 825 days) and purged with it.
 */
public interface EvidenceStore {

    /** Appends a record stamped with the store's clock; returns it with its id. */
    EvidenceRecord append(String kind, String address, String token, String messageId, String outcome, byte[] json);

    Optional<EvidenceRecord> find(long id);

    /** Records matching {@code query} (address, token, time range, limit), oldest first. */
    List<EvidenceRecord> find(AuditQuery query);

    /** Deletes records older than the retention; returns how many. */
    int purgeExpired();
}
