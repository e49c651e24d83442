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

final class JdbcOutboxStore implements OutboxStore {
    static final String TABLE = "acme_smime_outbox";
    private static final String COLUMNS = "id, destination, payload, state, attempts, created_at, next_attempt_at,"
            + " last_error, finished_at";
    private static final String PENDING = OutboxState.PENDING.name();
    /** An item is due: pending, its time has come, and no unexpired lease on it. */
    private static final int CLAIM_SLACK = 8;
    static final String DUE = "state = ? AND next_attempt_at <= ? AND (lease_until IS NULL OR lease_until <= ?)";

    /** An item may be probed: pending for the destination, whatever its time, and no unexpired lease on it. */
    private static final String PROBE = "state = ? AND destination = ? AND (lease_until IS NULL OR lease_until <= ?)";

    /** An item waits: pending or failed, so not yet at the ACME server. */
    private static final String WAITING = " WHERE state IN (?, ?)";

    private final Jdbc jdbc;
    private final Clock clock;
    private final RetryPolicy policy;
    private final String leaseOwner;

    JdbcOutboxStore(Jdbc jdbc, Clock clock, RetryPolicy policy, String leaseOwner) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.policy = policy;
        this.leaseOwner = leaseOwner;
    }

    @Override
    public OutboxItem enqueue(String destination, byte[] payload) {
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(payload, "payload");
        Instant now = Jdbc.truncate(clock.instant());
        long id = jdbc.insertReturningId("enqueue a forward", "INSERT INTO " + TABLE
                        + " (destination, payload, state, attempts, created_at, next_attempt_at) VALUES (?, ?, ?, 0, ?, ?)",
                destination, payload, PENDING, now, now);
        return new OutboxItem(id, destination, payload, OutboxState.PENDING, 0, now, now, Optional.empty(),
                Optional.empty());
    }

    @Override
    public List<OutboxItem> claimDue(int max) {
        if (max < 1) {
            throw new IllegalArgumentException("max must be positive");
        }
        Instant now = clock.instant();
        Instant leaseUntil = now.plus(policy.lease());
        return jdbc.inConnection("claim due forwards", c -> {
            // A few candidates more than wanted, so a node that loses the first ones to another
            // node can still take the next due items in the same call.
            List<Long> candidates = Jdbc.query(c, "SELECT id FROM " + TABLE + " WHERE " + DUE
                    + " ORDER BY next_attempt_at, id LIMIT " + (max + CLAIM_SLACK), rs -> rs.getLong(1), PENDING, now, now);
            List<OutboxItem> won = new ArrayList<>();
            for (long id : candidates) {
                if (won.size() == max) {
                    break;
                }
                // The same condition again, on the row itself: when two nodes race for one id, the
                // database serialises the two UPDATEs on the row lock and re-checks the condition
                // for the second, which then matches nothing. One code path for H2 and PostgreSQL.
                int n = Jdbc.update(c, "UPDATE " + TABLE + " SET lease_owner = ?, lease_until = ?,"
                        + " attempts = attempts + 1 WHERE id = ? AND " + DUE, leaseOwner, leaseUntil, id, PENDING, now, now);
                if (n == 1) {
                    won.addAll(Jdbc.query(c, "SELECT " + COLUMNS + " FROM " + TABLE + " WHERE id = ?",
                            JdbcOutboxStore::map, id));
                }
            }
            return won;
        });
    }

    @Override
    public boolean complete(long id) {
        return finish(id, OutboxState.DONE, null);
    }

    @Override
    public boolean fail(long id, String error) {
        return finish(id, OutboxState.FAILED, error);
    }

    private boolean finish(long id, OutboxState outcome, String error) {
        return jdbc.update("finish a forward", "UPDATE " + TABLE + " SET state = ?, finished_at = ?,"
                        + " last_error = COALESCE(?, last_error), lease_owner = NULL, lease_until = NULL"
                        + " WHERE id = ? AND state = ? AND lease_owner = ?",
                outcome.name(), clock.instant(), Jdbc.text(oneLine(error)), id, PENDING, leaseOwner) == 1;
    }

    @Override
    public Optional<OutboxState> retryLater(long id, String error) {
        return retryLater(id, error, Duration.ZERO);
    }

    @Override
    public Optional<OutboxState> retryLater(long id, String error, Duration extraDelay) {
        if (extraDelay.isNegative()) {
            throw new IllegalArgumentException("extraDelay must not be negative");
        }
        Instant now = clock.instant();
        return jdbc.inConnection("reschedule a forward", c -> {
            List<Integer> attempts = Jdbc.query(c, "SELECT attempts FROM " + TABLE
                    + " WHERE id = ? AND state = ? AND lease_owner = ?", rs -> rs.getInt(1), id, PENDING, leaseOwner);
            if (attempts.isEmpty()) {
                return Optional.empty();
            }
            int done = attempts.get(0);
            if (done >= policy.maxAttempts()) {
                int n = Jdbc.update(c, "UPDATE " + TABLE + " SET state = ?, finished_at = ?, last_error = ?,"
                                + " lease_owner = NULL, lease_until = NULL WHERE id = ? AND state = ? AND lease_owner = ?",
                        OutboxState.FAILED.name(), now, Jdbc.text(oneLine(error)), id, PENDING, leaseOwner);
                return n == 1 ? Optional.of(OutboxState.FAILED) : Optional.empty();
            }
            int n = Jdbc.update(c, "UPDATE " + TABLE + " SET next_attempt_at = ?, last_error = ?,"
                            + " lease_owner = NULL, lease_until = NULL WHERE id = ? AND state = ? AND lease_owner = ?",
                    now.plus(policy.delayAfter(done)).plus(extraDelay), Jdbc.text(oneLine(error)), id, PENDING, leaseOwner);
            return n == 1 ? Optional.of(OutboxState.PENDING) : Optional.empty();
        });
    }

    @Override
    public int expedite(String destination) {
        Instant now = clock.instant();
        return jdbc.update("bring waiting forwards forward", "UPDATE " + TABLE + " SET next_attempt_at = ?"
                + " WHERE state = ? AND destination = ? AND next_attempt_at > ?", now, PENDING, destination, now);
    }

    @Override
    public Optional<OutboxItem> claimProbe(String destination) {
        Objects.requireNonNull(destination, "destination");
        Instant now = clock.instant();
        Instant leaseUntil = now.plus(policy.lease());
        return jdbc.inConnection("claim a probe", c -> {
            List<Long> candidates = Jdbc.query(c, "SELECT id FROM " + TABLE + " WHERE " + PROBE
                    + " ORDER BY next_attempt_at, id LIMIT " + CLAIM_SLACK, rs -> rs.getLong(1), PENDING, destination, now);
            for (long id : candidates) {
                // the condition again on the row, as in claimDue: of two racing claims one matches nothing
                int n = Jdbc.update(c, "UPDATE " + TABLE + " SET lease_owner = ?, lease_until = ? WHERE id = ? AND "
                        + PROBE, leaseOwner, leaseUntil, id, PENDING, destination, now);
                if (n == 1) {
                    return Jdbc.query(c, "SELECT " + COLUMNS + " FROM " + TABLE + " WHERE id = ?",
                            JdbcOutboxStore::map, id).stream().findFirst();
                }
            }
            return Optional.empty();
        });
    }

    @Override
    public boolean releaseProbe(long id, String error) {
        return jdbc.update("release a probe", "UPDATE " + TABLE + " SET last_error = COALESCE(?, last_error),"
                        + " lease_owner = NULL, lease_until = NULL WHERE id = ? AND state = ? AND lease_owner = ?",
                Jdbc.text(oneLine(error)), id, PENDING, leaseOwner) == 1;
    }

    @Override
    public boolean retry(long id) {
        return jdbc.update("retry a failed forward", "UPDATE " + TABLE + " SET state = ?, attempts = 0,"
                        + " next_attempt_at = ?, finished_at = NULL WHERE id = ? AND state = ?",
                PENDING, clock.instant(), id, OutboxState.FAILED.name()) == 1;
    }

    @Override
    public Optional<OutboxItem> find(long id) {
        return jdbc.queryOne("find a forward", "SELECT " + COLUMNS + " FROM " + TABLE + " WHERE id = ?",
                JdbcOutboxStore::map, id);
    }

    @Override
    public List<OutboxItem> listPending(int limit) {
        return jdbc.query("list pending forwards", "SELECT " + COLUMNS + " FROM " + TABLE
                + " WHERE state = ? ORDER BY next_attempt_at, id LIMIT " + positive(limit), JdbcOutboxStore::map, PENDING);
    }

    @Override
    public List<OutboxItem> listFailed(int limit) {
        return jdbc.query("list failed forwards", "SELECT " + COLUMNS + " FROM " + TABLE
                        + " WHERE state = ? ORDER BY finished_at DESC, id DESC LIMIT " + positive(limit),
                JdbcOutboxStore::map, OutboxState.FAILED.name());
    }

    @Override
    public long countWaiting() {
        return jdbc.queryOne("count waiting forwards", "SELECT COUNT(*) FROM " + TABLE + WAITING,
                rs -> rs.getLong(1), PENDING, OutboxState.FAILED.name()).orElse(0L);
    }

    @Override
    public Optional<Instant> oldestWaiting() {
        // MIN over no row is one row holding NULL
        return jdbc.query("find the oldest waiting forward", "SELECT MIN(created_at) AS oldest FROM " + TABLE
                + WAITING, rs -> Jdbc.instant(rs, "oldest"), PENDING, OutboxState.FAILED.name()).stream()
                .filter(Objects::nonNull).findFirst();
    }

    private static int positive(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive");
        }
        return limit;
    }

    /** An error as one line of at most 2000 characters (the {@code last_error} columns). */
    static String oneLine(String error) {
        if (error == null) {
            return null;
        }
        String line = error.replaceAll("[\\r\\n\\t]+", " ");
        return line.length() <= 2000 ? line : line.substring(0, 1999) + "…";
    }

    private static OutboxItem map(ResultSet rs) throws SQLException {
        return new OutboxItem(rs.getLong("id"), rs.getString("destination"), rs.getBytes("payload"),
                OutboxState.valueOf(rs.getString("state")), rs.getInt("attempts"), Jdbc.instant(rs, "created_at"),
                Jdbc.instant(rs, "next_attempt_at"), Optional.ofNullable(rs.getString("last_error")),
                Optional.ofNullable(Jdbc.instant(rs, "finished_at")));
    }
}
