package dev.acmesmime.store;

import java.net.URI;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

final class JdbcEnrolmentStore implements EnrolmentStore {
    static final String TABLE = EnrolmentRows.TABLE;
    /** Due: its time has come and no live lease on it. */
    private static final String DUE = "next_attempt_at <= ? AND (lease_until IS NULL OR lease_until <= ?)";
    /**
     * Orders live ACME orders before rest states, so that the engine goes depth-first: an order whose
     * challenge was answered goes on before the key of a mailbox not started yet. By due time alone, ten
     * thousand new mailboxes (due since the scan found them) were all keyed first: with RSA-2048 keys the
     * first certificates then came only after most of the run, and a CA's challenge could expire meanwhile.
     */
    private static final String IN_FLIGHT_FIRST = "CASE WHEN state IN ('" + EnrolmentStep.NONE.name() + "', '"
            + EnrolmentStep.ISSUED.name() + "', '" + EnrolmentStep.FAILED.name() + "') THEN 1 ELSE 0 END";
    /**
     * Candidates read beyond {@code limit}, so that a claim losing the first rows to another node
     * (H2, where nothing is skipped) can still take the next due ones in the same call.
     */
    private static final int CLAIM_SLACK = 8;

    private final Jdbc jdbc;
    private final EnrolmentRows rows;
    private final Clock clock;

    JdbcEnrolmentStore(Jdbc jdbc, SecretCipher cipher, Clock clock) {
        this.jdbc = jdbc;
        this.rows = new EnrolmentRows(cipher);
        this.clock = clock;
    }

    @Override
    public Optional<Enrolment> find(String mailbox) {
        return jdbc.queryOne("find an enrolment", EnrolmentRows.SELECT + " WHERE mailbox = ?", rows::map, mailbox);
    }

    @Override
    public Enrolment save(Enrolment e) {
        Instant now = Jdbc.truncate(clock.instant());
        Object[] values = rows.values(e, now);
        Optional<Enrolment> saved = jdbc.inConnection("save an enrolment", c -> {
            // UPDATE first, INSERT if absent; an INSERT that loses a race to another node's INSERT
            // (23505) falls back to the UPDATE. Portable where MERGE/ON CONFLICT are not.
            for (int round = 0; round < 2; round++) {
                if (Jdbc.update(c, EnrolmentRows.UPDATE + " WHERE mailbox = ?", values) == 1) {
                    return reread(c, e.mailbox());
                }
                if (Jdbc.insertUnlessDuplicate(c, EnrolmentRows.INSERT, values)) {
                    return reread(c, e.mailbox());
                }
            }
            throw new SQLException("enrolment of " + e.mailbox() + " changed concurrently twice");
        });
        return saved.orElseThrow();
    }

    @Override
    public Optional<Enrolment> saveHeld(Enrolment e, String owner) {
        Objects.requireNonNull(owner, "owner");
        Instant now = Jdbc.truncate(clock.instant());
        Object[] values = append(rows.values(e, now), owner, now);
        return jdbc.inConnection("save a leased enrolment", c -> {
            int n = Jdbc.update(c, EnrolmentRows.UPDATE + " WHERE mailbox = ? AND lease_owner = ? AND lease_until > ?",
                    values);
            return n == 1 ? reread(c, e.mailbox()) : Optional.empty();
        });
    }

    /** The row as stored: the lease and the store's shortening of long details included. */
    private Optional<Enrolment> reread(Connection c, String mailbox) throws SQLException {
        return Jdbc.query(c, EnrolmentRows.SELECT + " WHERE mailbox = ?", rows::map, mailbox).stream().findFirst();
    }

    @Override
    public List<Enrolment> claimDue(Instant now, String owner, Duration lease, int limit) {
        Objects.requireNonNull(owner, "owner");
        if (limit < 1 || lease.isNegative() || lease.isZero()) {
            throw new IllegalArgumentException("limit and lease must be positive");
        }
        Instant at = Jdbc.truncate(now);
        Instant until = at.plus(lease);
        String select = "SELECT mailbox FROM " + TABLE + " WHERE " + DUE + " ORDER BY " + IN_FLIGHT_FIRST
                + ", next_attempt_at, mailbox LIMIT " + (limit + CLAIM_SLACK) + jdbc.dialect().skipLocked();
        return jdbc.inTransaction("claim due enrolments", () -> jdbc.inConnection("claim due enrolments", c -> {
            List<String> candidates = Jdbc.query(c, select, rs -> rs.getString(1), at, at);
            List<Enrolment> won = new ArrayList<>();
            for (String mailbox : candidates) {
                if (won.size() == limit) {
                    break;
                }
                // The due condition again, on the row: when two claims race for one row, the
                // database serialises the UPDATEs on its row lock and re-checks the condition for
                // the second, which then matches nothing (the first one's lease is live).
                int n = Jdbc.update(c, "UPDATE " + TABLE + " SET lease_owner = ?, lease_until = ? WHERE mailbox = ?"
                        + " AND " + DUE, owner, until, mailbox, at, at);
                if (n == 1) {
                    reread(c, mailbox).ifPresent(won::add);
                }
            }
            return won;
        }));
    }

    @Override
    public boolean wake(String mailbox, URI challengeUrl, Instant at) {
        Instant due = Jdbc.truncate(at);
        return jdbc.update("wake an enrolment", "UPDATE " + TABLE + " SET next_attempt_at = ? WHERE mailbox = ?"
                + " AND state = ? AND challenge_url = ? AND next_attempt_at > ?", due, mailbox,
                EnrolmentStep.CHALLENGE_REGISTERED.name(), challengeUrl.toString(), due) == 1;
    }

    @Override
    public boolean extendLease(String mailbox, String owner, Instant until) {
        Objects.requireNonNull(owner, "owner");
        return jdbc.update("extend an enrolment's lease", "UPDATE " + TABLE + " SET lease_until = ? WHERE mailbox = ?"
                + " AND lease_owner = ? AND lease_until > ?", Jdbc.truncate(until), mailbox, owner,
                Jdbc.truncate(clock.instant())) == 1;
    }

    @Override
    public boolean release(String mailbox, String owner) {
        return jdbc.update("release an enrolment", "UPDATE " + TABLE + " SET lease_owner = NULL, lease_until = NULL"
                + " WHERE mailbox = ? AND lease_owner = ?", mailbox, owner) == 1;
    }

    @Override
    public List<Enrolment> list(Optional<String> domain, Optional<EnrolmentStep> step, Optional<String> afterMailbox,
                                int limit) {
        if (limit < 1 || limit > MAX_PAGE) {
            throw new IllegalArgumentException("limit must be 1 to " + MAX_PAGE);
        }
        StringBuilder where = new StringBuilder(" WHERE 1 = 1");
        List<Object> params = new ArrayList<>();
        domain.ifPresent(d -> {
            where.append(" AND domain = ?");
            params.add(Enrolment.domainOf("@" + d));
        });
        step.ifPresent(s -> {
            where.append(" AND state = ?");
            params.add(s.name());
        });
        afterMailbox.ifPresent(m -> {
            where.append(" AND mailbox > ?");
            params.add(m);
        });
        return jdbc.query("list enrolments", EnrolmentRows.SELECT + where + " ORDER BY mailbox LIMIT " + limit,
                rows::map, params.toArray());
    }

    @Override
    public Map<EnrolmentStep, Long> countByStep() {
        Map<EnrolmentStep, Long> counts = new EnumMap<>(EnrolmentStep.class);
        jdbc.query("count enrolments by step", "SELECT state, COUNT(*) FROM " + TABLE + " GROUP BY state",
                rs -> counts.put(EnrolmentRows.step(rs.getString(1)), rs.getLong(2)));
        return counts;
    }

    @Override
    public boolean delete(String mailbox) {
        return jdbc.update("delete an enrolment", "DELETE FROM " + TABLE + " WHERE mailbox = ?", mailbox) == 1;
    }

    private static Object[] append(Object[] values, Object... more) {
        Object[] all = new Object[values.length + more.length];
        System.arraycopy(values, 0, all, 0, values.length);
        System.arraycopy(more, 0, all, values.length, more.length);
        return all;
    }
}
