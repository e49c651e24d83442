package dev.acmesmime.james.runtime;

import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.acmesmime.store.AcmeSmimeStore;
import dev.acmesmime.store.StoreMaintenance;

/**
 * Expires overdue pending challenges and purges records past their retention ({@link StoreMaintenance})
 * every {@value #PERIOD_MINUTES} minutes, first a minute after the store opens. Idempotent, so every node
 * of a cluster may run it.
 */
final class MaintenanceSchedule implements AutoCloseable {
    /** How often {@link StoreMaintenance} runs. */
    static final long PERIOD_MINUTES = 60;

    private static final Logger LOGGER = LoggerFactory.getLogger(MaintenanceSchedule.class);

    private final ScheduledExecutorService executor;

    private MaintenanceSchedule(ScheduledExecutorService executor) {
        this.executor = executor;
    }

    static MaintenanceSchedule start(AcmeSmimeStore store, Clock clock) {
        StoreMaintenance task = new StoreMaintenance(store, clock);
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "acme-smime-maintenance");
            t.setDaemon(true);
            return t;
        });
        executor.scheduleWithFixedDelay(() -> {
            try {
                StoreMaintenance.Report r = task.runOnce();
                LOGGER.info("acme-smime maintenance: {}", r);
            } catch (RuntimeException e) {
                // the next run tries again; a database outage must not kill the schedule
                LOGGER.warn("acme-smime maintenance failed: {}", e.getMessage());
            }
        }, 1, PERIOD_MINUTES, TimeUnit.MINUTES);
        return new MaintenanceSchedule(executor);
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
