package dev.acmesmime.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

final class JdbcEvidenceStore implements EvidenceStore {
    static final String TABLE = "acme_smime_evidence";
    private static final String COLUMNS = "id, occurred_at, kind, address, token, message_id, outcome, record";

    private final Jdbc jdbc;
    private final Clock clock;
    private final Duration retention;

    JdbcEvidenceStore(Jdbc jdbc, Clock clock, Duration retention) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.retention = retention;
    }

    @Override
    public EvidenceRecord append(String kind, String address, String token, String messageId, String outcome,
                                 byte[] json) {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(json, "json");
        // Mail-derived index values may be over-long; the full value stays in the JSON.
        String a = RecordLimits.shorten(address, RecordLimits.ADDRESS);
        String t = RecordLimits.shorten(token, RecordLimits.TOKEN);
        String m = RecordLimits.shorten(messageId, RecordLimits.MESSAGE_ID);
        String o = RecordLimits.shorten(outcome, RecordLimits.OUTCOME);
        Instant now = Jdbc.truncate(clock.instant());
        long id = jdbc.insertReturningId("append an evidence record", "INSERT INTO " + TABLE
                        + " (occurred_at, kind, address, token, message_id, outcome, record) VALUES (?, ?, ?, ?, ?, ?, ?)",
                now, kind, Jdbc.text(a), Jdbc.text(t), Jdbc.text(m), o, json);
        return new EvidenceRecord(id, now, kind, Optional.ofNullable(a), Optional.ofNullable(t), Optional.ofNullable(m),
                o, json);
    }

    @Override
    public Optional<EvidenceRecord> find(long id) {
        return jdbc.queryOne("find an evidence record", "SELECT " + COLUMNS + " FROM " + TABLE + " WHERE id = ?",
                JdbcEvidenceStore::map, id);
    }

    @Override
    public List<EvidenceRecord> find(AuditQuery q) {
        List<Object> params = new ArrayList<>();
        String sql = q.select(COLUMNS, TABLE, params);
        return jdbc.query("query the evidence log", sql, JdbcEvidenceStore::map, params.toArray());
    }

    @Override
    public int purgeExpired() {
        return jdbc.update("purge the evidence log", "DELETE FROM " + TABLE + " WHERE occurred_at < ?",
                clock.instant().minus(retention));
    }

    private static EvidenceRecord map(ResultSet rs) throws SQLException {
        return new EvidenceRecord(rs.getLong("id"), Jdbc.instant(rs, "occurred_at"), rs.getString("kind"),
                Optional.ofNullable(rs.getString("address")), Optional.ofNullable(rs.getString("token")),
                Optional.ofNullable(rs.getString("message_id")), rs.getString("outcome"), rs.getBytes("record"));
    }
}
