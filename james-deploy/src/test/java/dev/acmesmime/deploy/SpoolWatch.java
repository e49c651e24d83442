package dev.acmesmime.deploy;

import static dev.acmesmime.deploy.CaJames.JSON;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/** The largest size of a James node's spool queue (WebAdmin {@code GET /mailQueues/spool}), read every 250 ms while it runs. */
final class SpoolWatch {
    private final AtomicBoolean going = new AtomicBoolean(true);
    private final AtomicInteger max = new AtomicInteger();
    private final Thread thread;

    private SpoolWatch(OrgRoleProcess james) {
        thread = new Thread(() -> {
            while (going.get()) {
                try {
                    int size = JSON.readTree(james.webAdmin().getOk("/mailQueues/spool")).path("size").asInt(0);
                    max.accumulateAndGet(size, Math::max);
                    Thread.sleep(250);
                } catch (InterruptedException e) {
                    return;
                } catch (Exception e) {
                    // a slow WebAdmin under the flood: the next read counts
                }
            }
        }, "spool-watch");
        thread.setDaemon(true);
    }

    static SpoolWatch start(OrgRoleProcess james) {
        SpoolWatch watch = new SpoolWatch(james);
        watch.thread.start();
        return watch;
    }

    /** Stops reading; the largest size seen. */
    int stop() throws InterruptedException {
        going.set(false);
        thread.join();
        return max.get();
    }
}
