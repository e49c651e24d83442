package dev.acmesmime.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Properties;
import java.util.function.Function;

import dev.acmesmime.store.AcmeSmimeStore;
import dev.acmesmime.store.StoreSettings;
import dev.acmesmime.testing.TempDirs;

/**
 * An embedded H2 store for a store-backed target, replaced by a new one every {@value #INPUTS_PER_STORE}
 * inputs: the CA keeps every response's raw mail as evidence, and a million inputs would otherwise fill the
 * disk. The thing under test is built again on each new store by {@code build}, which also writes the state
 * every input meets (a pending or an issued challenge). Replacing happens between inputs, never inside
 * the measured call.
 */
public final class FreshStore<T> {

    static final int INPUTS_PER_STORE = 20_000;

    private final Clock clock;
    private final Function<AcmeSmimeStore, T> build;
    private AcmeSmimeStore store;
    private Path home;
    private T current;
    private int used;

    public FreshStore(Clock clock, Function<AcmeSmimeStore, T> build) {
        this.clock = clock;
        this.build = build;
        Runtime.getRuntime().addShutdownHook(new Thread(this::close, "fuzz-store-close"));
    }

    /** The thing under test, on a store that has served fewer than {@value #INPUTS_PER_STORE} inputs. */
    public synchronized T next() {
        if (current == null || used++ >= INPUTS_PER_STORE) {
            close();
            try {
                home = Files.createTempDirectory("acme-smime-fuzz-store");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            store = AcmeSmimeStore.builder(StoreSettings.fromProperties(new Properties(), home)).clock(clock).open();
            current = build.apply(store);
            used = 1;
        }
        return current;
    }

    private synchronized void close() {
        if (store != null) {
            store.close();
            store = null;
            current = null;
            try {
                TempDirs.delete(home);
            } catch (IOException e) {
                System.err.println("fuzz store not removed: " + e);
            }
        }
    }
}
