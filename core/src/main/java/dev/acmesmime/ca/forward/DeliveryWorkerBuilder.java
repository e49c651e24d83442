package dev.acmesmime.ca.forward;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Random;

import dev.acmesmime.metrics.PluginMetrics;
import dev.acmesmime.store.AcmeSmimeStore;
import dev.acmesmime.store.AuditStore;
import dev.acmesmime.store.OutboxStore;
import dev.acmesmime.store.RetryPolicy;
import dev.acmesmime.store.Transactions;

/** The options of a {@link DeliveryWorker}: {@link DeliveryWorker#builder()}. */
public final class DeliveryWorkerBuilder {
    OutboxStore outbox;
    AuditStore audit;
    ForwardClient client;
    RetryPolicy retryPolicy = RetryPolicy.DEFAULT;
    Clock clock = Clock.systemUTC();
    Duration pollInterval = Duration.ofSeconds(1);
    int batchSize = 50;
    double jitter = 0.5;
    Random random = new SecureRandom();
    int threads = 16;
    Transactions tx = Transactions.NONE;
    PluginMetrics metrics = PluginMetrics.NONE;
    Duration probeInterval = Duration.ofSeconds(30);

    DeliveryWorkerBuilder() {
    }

    /**
     * How often one waiting result is sent, whatever its back-off, while the server refuses
     * ({@link DestinationProbe}; default 30 s, {@link Duration#ZERO} for never).
     */
    public DeliveryWorkerBuilder probeInterval(Duration interval) {
        if (interval.isNegative()) {
            throw new IllegalArgumentException("probeInterval must not be negative");
        }
        this.probeInterval = interval;
        return this;
    }

    /**
     * Where attempts, failures and latency are counted and the outbox gauges registered
     * ({@link ForwardMetrics}; default none). One worker per process, so the gauges are registered once.
     */
    public DeliveryWorkerBuilder metrics(PluginMetrics metrics) {
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        return this;
    }

    public DeliveryWorkerBuilder outbox(OutboxStore outbox) {
        this.outbox = Objects.requireNonNull(outbox, "outbox");
        return this;
    }

    public DeliveryWorkerBuilder audit(AuditStore audit) {
        this.audit = Objects.requireNonNull(audit, "audit");
        return this;
    }

    /** Takes the outbox and audit stores of {@code store} and writes each item's outcome in one transaction. */
    public DeliveryWorkerBuilder store(AcmeSmimeStore store) {
        this.outbox = store.outbox();
        this.audit = store.audit();
        this.retryPolicy = store.retryPolicy();
        this.tx = store;
        return this;
    }

    public DeliveryWorkerBuilder client(ForwardClient client) {
        this.client = Objects.requireNonNull(client, "client");
        return this;
    }

    /** The policy the outbox store was opened with; used to size the jitter. */
    public DeliveryWorkerBuilder retryPolicy(RetryPolicy policy) {
        this.retryPolicy = Objects.requireNonNull(policy, "policy");
        return this;
    }

    public DeliveryWorkerBuilder clock(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        return this;
    }

    /** How often the outbox is polled (default 1 s). */
    public DeliveryWorkerBuilder pollInterval(Duration interval) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("pollInterval must be positive");
        }
        this.pollInterval = interval;
        return this;
    }

    /** Items claimed at once (default 50). */
    public DeliveryWorkerBuilder batchSize(int n) {
        if (n < 1 || n > 1000) {
            throw new IllegalArgumentException("batchSize must be 1..1000");
        }
        this.batchSize = n;
        return this;
    }

    /** Random extra delay, as a fraction of the back-off delay, 0..1 (default 0.5). */
    public DeliveryWorkerBuilder jitter(double fraction) {
        if (!(fraction >= 0 && fraction <= 1)) {
            throw new IllegalArgumentException("jitter must be 0..1");
        }
        this.jitter = fraction;
        return this;
    }

    /** How many items of a batch are sent side by side once started (default 16; 1 = one by one). */
    public DeliveryWorkerBuilder threads(int n) {
        if (n < 1 || n > 64) {
            throw new IllegalArgumentException("threads must be 1..64");
        }
        this.threads = n;
        return this;
    }

    public DeliveryWorkerBuilder random(Random random) {
        this.random = Objects.requireNonNull(random, "random");
        return this;
    }

    public DeliveryWorker build() {
        Objects.requireNonNull(outbox, "outbox");
        Objects.requireNonNull(audit, "audit");
        Objects.requireNonNull(client, "client");
        return new DeliveryWorker(this);
    }
}
