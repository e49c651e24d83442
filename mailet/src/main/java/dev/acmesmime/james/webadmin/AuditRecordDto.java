package dev.acmesmime.james.webadmin;

import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.acmesmime.store.AuditRecord;

/**
 * One audit record as {@code GET /acme-smime/audit} and {@code /audit/export} show it; absent values are
 * left out, not written as {@code null}.
 *
 * @param type {@code "audit"} in the JSON-lines export, where audit and evidence lines are mixed (written
 *             last on the line, as the export always has); absent in {@code /audit}
 */
@JsonInclude(JsonInclude.Include.NON_ABSENT)
public record AuditRecordDto(long id, String occurredAt, String event, Optional<String> address,
                             Optional<String> token, Optional<String> messageId, Optional<String> outcome,
                             Optional<String> detail, Optional<String> type) {

    static final String EXPORT_TYPE = "audit";

    /** The record as {@code /audit} lists it. */
    public static AuditRecordDto from(AuditRecord a) {
        return of(a, Optional.empty());
    }

    /** The record as a line of {@code /audit/export}. */
    public static AuditRecordDto exportLine(AuditRecord a) {
        return of(a, Optional.of(EXPORT_TYPE));
    }

    private static AuditRecordDto of(AuditRecord a, Optional<String> type) {
        return new AuditRecordDto(a.id(), a.occurredAt().toString(), a.event(), a.address(), a.token(),
                a.messageId(), a.outcome(), a.detail(), type);
    }
}
