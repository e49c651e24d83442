package dev.acmesmime.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.MVStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded store's file upkeep. H2 makes a commit durable before it returns only with {@code WRITE_DELAY 0}
 * ({@link Dialect#H2}), and that setting also stops H2's background writer, the thread that rewrites the live
 * pages of mostly dead chunks so that the chunks can be dropped and their space reused. Without it the chunk of
 * every commit stays: 10,000 mailboxes enrolled at once left a 2 GB file, and the chunks' bookkeeping grew in
 * James's heap (issue 15's benchmark). This thread does that part of the writer's work: every
 * {@value #PERIOD_MS} ms, chunks less than {@value #FILL_RATE} % live are rewritten, at most {@value #WRITE_BYTES}
 * bytes at a time, under H2's own store lock, as H2's writer would.
 */
final class H2Housekeeping implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(H2Housekeeping.class);
    static final int FILL_RATE = 90;
    static final int WRITE_BYTES = 4 << 20;
    static final long PERIOD_MS = 500;

    private final MVStore store;
    private final ScheduledExecutorService timer;

    private H2Housekeeping(MVStore store) {
        this.store = store;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "acme-smime-h2-housekeeping");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::compact, PERIOD_MS, PERIOD_MS, TimeUnit.MILLISECONDS);
    }

    /** Starts the upkeep of the embedded database behind {@code dataSource}; none for an in-memory database. */
    static Optional<H2Housekeeping> start(DataSource dataSource) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            SessionLocal session = (SessionLocal) connection.unwrap(JdbcConnection.class).getSession();
            MVStore store = session.getDatabase().getStore().getMvStore();
            return store.getFileStore() == null ? Optional.empty() : Optional.of(new H2Housekeeping(store));
        }
    }

    private void compact() {
        try {
            if (!store.isClosed()) {
                store.compact(FILL_RATE, WRITE_BYTES);
            }
        } catch (RuntimeException e) {
            // the next round tries again; H2 keeps working without it, only its file grows meanwhile
            LOG.debug("acme-smime store: H2 compaction round failed: {}", e.toString());
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
