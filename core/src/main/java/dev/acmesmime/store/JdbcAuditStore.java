package dev.acmesmime.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.Optional;

final class JdbcAuditStore implements AuditStore {
    static final String TABLE = "acme_smime_audit";
    private static final String COLUMNS = "id, occurred_at, event, address, token, message_id, outcome, detail, codes";

    private final Jdbc jdbc;
    private final Clock clock;
    private final Duration retention;

    JdbcAuditStore(Jdbc jdbc, Clock clock, Duration retention) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.retention = retention;
    }

    @Override
    public AuditRecord append(AuditRecord.Entry e) {
        Instant now = Jdbc.truncate(clock.instant());
        long id = jdbc.insertReturningId("append an audit record", "INSERT INTO " + TABLE
                        + " (occurred_at, event, address, token, message_id, outcome, detail, codes)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                now, e.event, Jdbc.text(e.address), Jdbc.text(e.token), Jdbc.text(e.messageId), Jdbc.text(e.outcome),
                Jdbc.text(e.detail), Jdbc.text(e.codes.isEmpty() ? null : String.join(",", e.codes)));
        return new AuditRecord(id, now, e.event, Optional.ofNullable(e.address), Optional.ofNullable(e.token),
                Optional.ofNullable(e.messageId), Optional.ofNullable(e.outcome), Optional.ofNullable(e.detail),
                e.codes);
    }

    @Override
    public List<AuditRecord> find(AuditQuery q) {
        List<Object> params = new ArrayList<>();
        String sql = q.select(COLUMNS, TABLE, params);
        return jdbc.query("query the audit log", sql, JdbcAuditStore::map, params.toArray());
    }

    @Override
    public List<AuditRecord> latest(String address, Set<AuditEvent> events, int limit) {
        if (limit < 1 || limit > AuditQuery.DEFAULT_LIMIT) {
            throw new IllegalArgumentException("limit must be 1.." + AuditQuery.DEFAULT_LIMIT);
        }
        if (events.isEmpty()) {
            return List.of();
        }
        List<Object> params = new ArrayList<>();
        params.add(address);
        events.stream().map(AuditEvent::value).sorted().forEach(params::add);
        String marks = String.join(", ", Collections.nCopies(events.size(), "?"));
        return jdbc.query("query the latest audit records", "SELECT " + COLUMNS + " FROM " + TABLE
                + " WHERE address = ? AND event IN (" + marks + ") ORDER BY occurred_at DESC, id DESC LIMIT " + limit,
                JdbcAuditStore::map, params.toArray());
    }

    @Override
    public Duration retention() {
        return retention;
    }

    @Override
    public int purgeExpired() {
        return jdbc.update("purge the audit log", "DELETE FROM " + TABLE + " WHERE occurred_at < ?",
                clock.instant().minus(retention));
    }

    private static AuditRecord map(ResultSet rs) throws SQLException {
        return new AuditRecord(rs.getLong("id"), Jdbc.instant(rs, "occurred_at"), rs.getString("event"),
                Optional.ofNullable(rs.getString("address")), Optional.ofNullable(rs.getString("token")),
                Optional.ofNullable(rs.getString("message_id")), Optional.ofNullable(rs.getString("outcome")),
                Optional.ofNullable(rs.getString("detail")), codes(rs.getString("codes")));
    }

    private static List<String> codes(String joined) {
        return joined == null || joined.isEmpty() ? List.of() : Arrays.asList(joined.split(","));
    }
}
