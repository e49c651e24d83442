package dev.acmesmime.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import javax.sql.DataSource;

/** The few JDBC chores every store repeats, written once: parameters, rows, time, errors. */
final class Jdbc {
    /** SQLState for a unique or primary-key violation, the same on H2 and PostgreSQL. */
    static final String UNIQUE_VIOLATION = "23505";

    @FunctionalInterface
    interface RowMapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    @FunctionalInterface
    interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    /** A typed SQL NULL (PostgreSQL needs the type of a null parameter). */
    record Null(int sqlType) {
        static final Null TEXT = new Null(Types.VARCHAR);
        static final Null TIME = new Null(Types.TIMESTAMP_WITH_TIMEZONE);
        static final Null BYTES = new Null(Types.VARBINARY);
    }

    private final DataSource dataSource;
    private final Dialect dialect;

    Jdbc(DataSource dataSource) {
        this(dataSource, Dialect.H2);
    }

    Jdbc(DataSource dataSource, Dialect dialect) {
        this.dataSource = dataSource;
        this.dialect = dialect;
    }

    Dialect dialect() {
        return dialect;
    }

    /**
     * Instants are kept to the microsecond, the finest both databases store, so what is read back
     * equals what was written.
     */
    static Instant truncate(Instant instant) {
        return instant.truncatedTo(ChronoUnit.MICROS);
    }

    static Object text(String s) {
        return s == null ? Null.TEXT : s;
    }

    static Object time(Instant i) {
        return i == null ? Null.TIME : i;
    }

    static Object bytes(byte[] b) {
        return b == null ? Null.BYTES : b;
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    static boolean isUniqueViolation(SQLException e) {
        for (SQLException s = e; s != null; s = s.getNextException()) {
            if (UNIQUE_VIOLATION.equals(s.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    /** The connection of the transaction this thread is in ({@link #inTransaction}), if any. */
    private final ThreadLocal<Connection> current = new ThreadLocal<>();
    /** What releases the locks the current transaction took ({@link #lockUntilCommit}). */
    private final ThreadLocal<List<Runnable>> releases = ThreadLocal.withInitial(ArrayList::new);

    <T> T inTransaction(String what, Supplier<T> work) {
        if (current.get() != null) {
            return work.get();
        }
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            current.set(c);
            try {
                T result = work.get();
                c.commit();
                return result;
            } catch (RuntimeException | Error e) {
                c.rollback();
                throw e;
            } finally {
                current.remove();
                c.setAutoCommit(true);
                releases.get().forEach(Runnable::run);
                releases.remove();
            }
        } catch (SQLException e) {
            throw new StoreException("store: cannot " + what + ": " + e.getMessage(), e);
        }
    }

    /**
     * Takes the lock {@code key} until the current transaction ends (see {@link Dialect#lockUntilCommit}).
     *
     * @throws IllegalStateException outside {@link #inTransaction}: a lock that ends with its
     *                               statement would protect nothing
     */
    void lockUntilCommit(String what, String key) {
        Connection tx = current.get();
        if (tx == null) {
            throw new IllegalStateException("store: " + what + " needs a transaction");
        }
        try {
            releases.get().add(dialect.lockUntilCommit(tx, key));
        } catch (SQLException e) {
            throw new StoreException("store: cannot " + what + ": " + e.getMessage(), e);
        }
    }

    <T> T inConnection(String what, Work<T> work) {
        Connection tx = current.get();
        if (tx != null) {
            try {
                return work.run(tx);
            } catch (SQLException e) {
                throw new StoreException("store: cannot " + what + ": " + e.getMessage(), e);
            }
        }
        try (Connection c = dataSource.getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw new StoreException("store: cannot " + what + ": " + e.getMessage(), e);
        }
    }

    int update(String what, String sql, Object... params) {
        return inConnection(what, c -> update(c, sql, params));
    }

    /**
     * Runs an INSERT that may hit a unique key.
     *
     * @return {@code false} when the key exists (nothing inserted); inside a transaction the
     *         failed statement is rolled back to a savepoint, since PostgreSQL would otherwise
     *         refuse every later statement of the transaction
     */
    static boolean insertUnlessDuplicate(Connection c, String sql, Object... params) throws SQLException {
        Savepoint before = c.getAutoCommit() ? null : c.setSavepoint();
        boolean inserted;
        try {
            update(c, sql, params);
            inserted = true;
        } catch (SQLException e) {
            if (!isUniqueViolation(e)) {
                throw e;
            }
            if (before != null) {
                c.rollback(before);
            }
            inserted = false;
        }
        if (before != null) {
            c.releaseSavepoint(before);
        }
        return inserted;
    }

    static int update(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(sql)) {
            bind(st, params);
            return st.executeUpdate();
        }
    }

    /** Runs an INSERT that yields one generated {@code id}. */
    long insertReturningId(String what, String sql, Object... params) {
        return inConnection(what, c -> {
            try (PreparedStatement st = c.prepareStatement(sql, new String[] {"id"})) {
                bind(st, params);
                st.executeUpdate();
                try (ResultSet keys = st.getGeneratedKeys()) {
                    if (!keys.next()) {
                        throw new SQLException("no generated id");
                    }
                    return keys.getLong(1);
                }
            }
        });
    }

    <T> List<T> query(String what, String sql, RowMapper<T> mapper, Object... params) {
        return inConnection(what, c -> query(c, sql, mapper, params));
    }

    static <T> List<T> query(Connection c, String sql, RowMapper<T> mapper, Object... params) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(sql)) {
            bind(st, params);
            try (ResultSet rs = st.executeQuery()) {
                List<T> rows = new ArrayList<>();
                while (rs.next()) {
                    rows.add(mapper.map(rs));
                }
                return rows;
            }
        }
    }

    <T> Optional<T> queryOne(String what, String sql, RowMapper<T> mapper, Object... params) {
        List<T> rows = query(what, sql, mapper, params);
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }

    private static void bind(PreparedStatement st, Object... params) throws SQLException {
        for (int i = 0; i < params.length; i++) {
            Object p = params[i];
            int idx = i + 1;
            if (p instanceof Null n) {
                st.setNull(idx, n.sqlType());
            } else if (p instanceof Instant t) {
                st.setObject(idx, OffsetDateTime.ofInstant(truncate(t), ZoneOffset.UTC));
            } else if (p instanceof byte[] b) {
                st.setBytes(idx, b);
            } else if (p instanceof String s) {
                st.setString(idx, s);
            } else if (p instanceof Long l) {
                st.setLong(idx, l);
            } else if (p instanceof Integer n) {
                st.setInt(idx, n);
            } else if (p instanceof Boolean b) {
                st.setBoolean(idx, b);
            } else {
                throw new IllegalArgumentException("unsupported parameter type " + p.getClass());
            }
        }
    }
}
