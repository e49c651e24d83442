package dev.acmesmime.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The two databases the store runs on. Every table, query and statement is the same on both;
 * what differs is kept here: the driver class and how schema upgrades are serialised.
 */
enum Dialect {
    /**
     * Embedded H2 (file or memory). An embedded file is opened by one JVM at a time (H2 locks it),
     * so H2 serves a single James node; H2's server mode is refused because two nodes could
     * then upgrade the schema at once and H2 commits DDL implicitly.
     */
    H2("jdbc:h2:", "org.h2.Driver") {
        @Override
        void lockForMigration(Connection connection) {
            // Only this JVM can reach an embedded database: SchemaMigrator's JVM-wide lock suffices.
        }

        @Override
        void prepare(Connection connection) throws SQLException {
            // H2 delays writing a commit to the file by up to 500 ms by default: a James killed in
            // that window would lose mails it had reported as recorded. Zero makes commit() return
            // only after the write, whatever the URL says (DurabilityContract fails without it).
            // H2 does not fsync each commit, so this covers a killed process, not a power cut;
            // PostgreSQL (fsync on commit) covers both.
            try (Statement st = connection.createStatement()) {
                st.execute("SET WRITE_DELAY 0");
                String url = connection.getMetaData().getURL().toUpperCase(Locale.ROOT);
                // H2's page cache lives in James's heap, 64 MB by default; the store's working set (the rows
                // being enrolled and answered) is far smaller, even with 10,000 mailboxes.
                if (!url.contains(";CACHE_SIZE=")) {
                    st.execute("SET CACHE_SIZE " + H2_CACHE_KB);
                }
                // Each commit writes a chunk, and H2 reuses a dead chunk's space only after the retention
                // time, 45 s by default: 10,000 mailboxes enrolled at once grew the file to 3 GB and the
                // chunks' bookkeeping in the heap (EnrolmentStoreBenchmark: 843 MB at 2 s). The retention
                // time guards against a power cut, which a store that does not fsync does not survive anyway;
                // a killed process loses nothing (the kernel holds its writes). A URL's own values are kept.
                if (!url.contains(";RETENTION_TIME=")) {
                    st.execute("SET RETENTION_TIME " + H2_RETENTION_MS);
                }
            }
        }

        @Override
        Runnable lockUntilCommit(Connection connection, String key) {
            // An embedded database has one JVM (H2 locks the file), so a JVM-wide lock serialises
            // every node there is; it is released when the transaction ends.
            ReentrantLock lock = JVM_LOCKS.computeIfAbsent(key, k -> new ReentrantLock());
            lock.lock();
            return lock::unlock;
        }
    },
    /** PostgreSQL, for several James nodes sharing the work. */
    POSTGRESQL("jdbc:postgresql:", "org.postgresql.Driver") {
        @Override
        void lockForMigration(Connection connection) throws SQLException {
            // Transaction-scoped advisory lock: a second node starting at the same moment waits
            // here until the first has committed the upgrade, then finds nothing left to do.
            // DDL is transactional in PostgreSQL, so a failed upgrade leaves no trace.
            try (PreparedStatement st = connection.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
                st.setLong(1, MIGRATION_LOCK_KEY);
                st.execute();
            }
        }

        @Override
        Runnable lockUntilCommit(Connection connection, String key) throws SQLException {
            // Transaction-scoped advisory lock, held by whichever node asked first until its commit
            // or rollback; PostgreSQL releases it itself. Keys share one class so they never meet
            // the migration lock; a hash collision only serialises two keys more than needed.
            try (PreparedStatement st = connection.prepareStatement("SELECT pg_advisory_xact_lock(?, hashtext(?))")) {
                st.setInt(1, KEY_LOCK_CLASS);
                st.setString(2, key);
                st.execute();
            }
            return () -> { };
        }

        @Override
        String skipLocked() {
            // Rows another node's claim has locked are passed over instead of waited for: claims
            // from several nodes proceed in parallel, each on different rows.
            return " FOR UPDATE SKIP LOCKED";
        }
    };

    /** "ACMK" in ASCII: the advisory lock class of {@link #lockUntilCommit} keys. */
    static final int KEY_LOCK_CLASS = 0x41434d4b;

    /** H2's locks by key; few keys (one per recipient domain), so they are kept. */
    /** The embedded store's page cache, in KB (H2's {@code CACHE_SIZE}). */
    static final int H2_CACHE_KB = 16 * 1024;
    /** How long the embedded store keeps a dead chunk's space before reusing it, in ms (H2's {@code RETENTION_TIME}). */
    static final int H2_RETENTION_MS = 2000;

    private static final Map<String, ReentrantLock> JVM_LOCKS = new ConcurrentHashMap<>();

    /** "ACMESMIM" in ASCII: an advisory lock key no other application is likely to use. */
    static final long MIGRATION_LOCK_KEY = 0x41434d45534d494dL;

    private final String prefix;
    private final String driverClassName;

    Dialect(String prefix, String driverClassName) {
        this.prefix = prefix;
        this.driverClassName = driverClassName;
    }

    String prefix() {
        return prefix;
    }

    String driverClassName() {
        return driverClassName;
    }

    /** Serialises schema upgrades across nodes; called first in the migration transaction. */
    abstract void lockForMigration(Connection connection) throws SQLException;

    /**
     * Takes a lock named {@code key} that every node sharing the database honours, held until the
     * transaction on {@code connection} ends: what is counted and then written under it cannot
     * race with another node doing the same.
     *
     * @return what releases the lock after commit or rollback (nothing, where the database does it)
     */
    abstract Runnable lockUntilCommit(Connection connection, String key) throws SQLException;

    /**
     * What ends a claim's candidate {@code SELECT} inside a transaction (PostgreSQL: lock the rows,
     * skip those another claim holds). Empty on H2, where the conditional {@code UPDATE} that
     * follows the {@code SELECT} is what makes a claim atomic, as it is on PostgreSQL too.
     */
    String skipLocked() {
        return "";
    }

    /** Database-wide settings the store relies on, applied at every start. */
    void prepare(Connection connection) throws SQLException {
    }

    /**
     * @throws StoreConfigurationException naming {@value StoreSettings#JDBC_URL} for any other database
     */
    static Dialect of(String jdbcUrl) {
        String lower = jdbcUrl.toLowerCase(Locale.ROOT);
        if (lower.startsWith(H2.prefix)) {
            String rest = lower.substring(H2.prefix.length());
            if (rest.startsWith("tcp:") || rest.startsWith("ssl:") || rest.contains("auto_server=true")) {
                throw new StoreConfigurationException(StoreSettings.JDBC_URL, "H2 is supported as an embedded"
                        + " database only (jdbc:h2:file:... or jdbc:h2:mem:...); use PostgreSQL when several"
                        + " nodes share the store, got " + StoreSettings.redact(jdbcUrl));
            }
            return H2;
        }
        if (lower.startsWith(POSTGRESQL.prefix)) {
            return POSTGRESQL;
        }
        throw new StoreConfigurationException(StoreSettings.JDBC_URL, "unsupported JDBC URL '"
                + StoreSettings.redact(jdbcUrl) + "'; expected jdbc:h2:file:... (embedded) or jdbc:postgresql://...");
    }
}
