package dev.acmesmime.james.webadmin;

import java.io.IOException;
import java.util.Base64;
import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.acmesmime.store.EvidenceRecord;

/**
 * One evidence record as {@code GET /acme-smime/evidence/{id}} and {@code /audit/export} show it: its
 * index columns and the stored record itself, embedded as JSON (S/MIME BR 5.5: archived as written).
 *
 * @param type         always {@code "evidence"}, so that export lines tell their kind
 * @param record       the stored record, when it is JSON (it always is when this plugin wrote it)
 * @param recordBase64 the stored bytes otherwise, so that nothing stored is hidden
 */
@JsonInclude(JsonInclude.Include.NON_ABSENT)
public record EvidenceRecordDto(String type, long id, String occurredAt, String kind, Optional<String> address,
                                Optional<String> token, Optional<String> messageId, String outcome,
                                Optional<JsonNode> record, Optional<String> recordBase64) {

    static final String TYPE = "evidence";
    private static final ObjectMapper JSON = new ObjectMapper();

    public static EvidenceRecordDto from(EvidenceRecord e) {
        byte[] stored = e.json();
        Optional<JsonNode> record;
        try {
            record = Optional.of(JSON.readTree(stored));
        } catch (IOException notJson) {
            record = Optional.empty();
        }
        return new EvidenceRecordDto(TYPE, e.id(), e.occurredAt().toString(), e.kind(), e.address(), e.token(),
                e.messageId(), e.outcome(), record,
                record.isPresent() ? Optional.empty() : Optional.of(Base64.getEncoder().encodeToString(stored)));
    }
}
