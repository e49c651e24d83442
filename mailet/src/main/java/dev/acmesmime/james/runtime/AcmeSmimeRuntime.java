package dev.acmesmime.james.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import javax.annotation.PreDestroy;
import javax.inject.Inject;
import javax.inject.Singleton;

import org.apache.james.filesystem.api.FileSystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.acmesmime.dkim.DkimKeyResolver;
import dev.acmesmime.gateway.ConfiguredGatewayPolicies;
import dev.acmesmime.gateway.EnrolledCertificateDirectory;
import dev.acmesmime.gateway.GatewaySettings;
import dev.acmesmime.ca.forward.DeliveryWorker;
import dev.acmesmime.ca.forward.ForwardClient;
import dev.acmesmime.ca.forward.ForwardSettings;
import dev.acmesmime.ca.forward.ForwardTarget;
import dev.acmesmime.james.runtime.AllowedOrigins;
import dev.acmesmime.metrics.PluginMetrics;
import dev.acmesmime.organisation.ResponseDelivery;
import dev.acmesmime.organisation.ResponseSender;
import dev.acmesmime.store.AcmeSmimeStore;
import dev.acmesmime.store.ResponseOutboxSettings;
import dev.acmesmime.store.StoreMaintenance;
import dev.acmesmime.store.StoreSettings;

/**
 * What every mailet, matcher and WebAdmin route of the plugin shares inside one James process:
 * the plugin's settings file, the state store, DKIM key resolvers, the clock and James's metrics
 * ({@link #metrics()}, see {@link JamesMetrics} for what {@code /metrics} shows).
 * <p>
 * Guice builds one instance per James process ({@link Singleton}), because James creates a new
 * mailet instance for every {@code <mailet>} entry and two entries must see one store. The store
 * is opened on first use, so a configuration without any store-using mailet never touches it.
 * <p>
 * Settings file: {@value #SETTINGS_FILE} under James's working directory, optional; see
 * {@link StoreSettings} for the {@code store.*} keys and {@code conf/acme-smime.properties} in the
 * repository for a commented example. A bad value stops James at start-up with a message that
 * names the setting, because the mailets open the store in their {@code init()}.
 */
@Singleton
public class AcmeSmimeRuntime implements AutoCloseable {
    /** The plugin's settings file, relative to James's working directory. */
    public static final String SETTINGS_FILE = "conf/acme-smime.properties";
    /** How often {@link StoreMaintenance} runs. */
    public static final long MAINTENANCE_PERIOD_MINUTES = 60;

    private static final Logger LOGGER = LoggerFactory.getLogger(AcmeSmimeRuntime.class);

    private final Path home;
    private final Clock clock;
    private final PluginMetrics metrics;
    private final Map<String, DkimKeyResolver> resolvers = new ConcurrentHashMap<>();
    private volatile Properties settings;
    private volatile AcmeSmimeStore store;
    private ForwardSettings forwardSettings;
    private ForwardClient forwardClient;
    private DeliveryWorker deliveryWorker;
    private ResponseDelivery responseDelivery;
    private volatile ChallengeLane lane;
    private volatile GatewayParts gateway;
    private ScheduledExecutorService maintenance;

    @Inject
    public AcmeSmimeRuntime(FileSystem fileSystem, JamesMetrics metrics) {
        this(basedir(fileSystem), Clock.systemUTC(), metrics);
    }

    /** For tests and tools: a runtime rooted at {@code home} with the given clock, recording no metrics. */
    public AcmeSmimeRuntime(Path home, Clock clock) {
        this(home, clock, PluginMetrics.NONE);
    }

    /** For tests: a runtime rooted at {@code home} with the given clock and metrics. */
    public AcmeSmimeRuntime(Path home, Clock clock, PluginMetrics metrics) {
        this.home = home.toAbsolutePath().normalize();
        this.clock = clock;
        this.metrics = Objects.requireNonNull(metrics, "metrics");
    }

    private static Path basedir(FileSystem fileSystem) {
        try {
            return fileSystem.getBasedir().toPath();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find James's working directory", e);
        }
    }

    /** James's working directory. */
    public Path home() {
        return home;
    }

    public Clock clock() {
        return clock;
    }

    /** Where the plugin's counters, timers and gauges go: James's metrics ({@link JamesMetrics}) inside James. */
    public PluginMetrics metrics() {
        return metrics;
    }

    /** The settings file's properties (empty when the file is absent). Read once. */
    public Properties settings() {
        Properties p = settings;
        if (p == null) {
            synchronized (this) {
                if (settings == null) {
                    settings = readSettings(home.resolve(SETTINGS_FILE));
                }
                p = settings;
            }
        }
        return p;
    }

    /**
     * The web origins allowed to call WebAdmin ({@value AllowedOrigins#KEY}, see {@link AllowedOrigins}),
     * read when the plugin's routes are defined, so a bad value stops James at start-up.
     *
     * @throws IllegalArgumentException naming {@value AllowedOrigins#KEY}
     */
    public AllowedOrigins allowedOrigins() {
        return AllowedOrigins.fromProperties(settings());
    }

    /**
     * The state store, opened (and its schema upgraded) on first call.
     *
     * @throws dev.acmesmime.store.StoreConfigurationException naming the bad {@code store.*} setting
     */
    public AcmeSmimeStore store() {
        AcmeSmimeStore s = store;
        if (s == null) {
            synchronized (this) {
                if (store == null) {
                    StoreSettings storeSettings = StoreSettings.fromProperties(settings(), home);
                    store = AcmeSmimeStore.builder(storeSettings).clock(clock)
                            .retryPolicy(ForwardSettings.retryPolicy(settings()))
                            .responseRetryPolicy(ResponseOutboxSettings.fromProperties(settings()).retryPolicy()).open();
                    LOGGER.info("acme-smime store open: {} (schema {})", storeSettings.redactedJdbcUrl(),
                            store.schemaVersion());
                    scheduleMaintenance(store);
                }
                s = store;
            }
        }
        return s;
    }

    /** S/MIME gateway: who is signed and encrypted for ({@link GatewaySettings}, WebAdmin overrides). */
    public ConfiguredGatewayPolicies gatewayPolicies() {
        return gatewayParts().policies();
    }

    /** S/MIME gateway: local mailboxes' usable certificates and keys (G2), correspondents' certificates. */
    public EnrolledCertificateDirectory certificateDirectory() {
        return gatewayParts().directory();
    }

    /** S/MIME gateway: what its mailets share (issue 16), with the S/MIME operations on {@code gateway.trustAnchors}. */
    public GatewayServices gateway() {
        return gatewayParts().services();
    }

    /** The gateway's parts, built once from the store and the {@code gateway.*} settings (a bad one names its key). */
    private GatewayParts gatewayParts() {
        GatewayParts g = gateway;
        if (g == null) {
            synchronized (this) {
                if (gateway == null) {
                    gateway = GatewayParts.of(this);
                }
                g = gateway;
            }
        }
        return g;
    }

    /**
     * A DKIM key resolver for {@code HOST:PORT}, or the system resolver for {@code null}; one per
     * server so its TTL cache is shared by every mailet that names it.
     *
     * @throws IllegalArgumentException when {@code dnsServer} is not {@code HOST[:PORT]}
     */
    public DkimKeyResolver keyResolver(String dnsServer) {
        String key = dnsServer == null || dnsServer.isBlank() ? "" : dnsServer.trim();
        return resolvers.computeIfAbsent(key, k -> k.isEmpty()
                ? DkimKeyResolver.builder().metrics(metrics).build()
                : DkimKeyResolver.builder().server(k).clock(clock).metrics(metrics).build());
    }

    /**
     * CA role: the forward settings ({@code forward.*} keys, see {@link ForwardSettings} and
     * {@link ForwardTarget}), read once.
     *
     * @throws IllegalArgumentException naming the bad {@code forward.*} setting
     */
    public synchronized ForwardSettings forwardSettings() {
        if (forwardSettings == null) {
            forwardSettings = ForwardSettings.fromProperties(settings(), home);
        }
        return forwardSettings;
    }

    /**
     * CA role: the one outbox delivery worker of this process, started on first call and stopped
     * by {@link #close()}.
     *
     * @throws IllegalArgumentException when {@value ForwardTarget#URL} or another {@code forward.*}
     *         setting is missing or bad (the message names it)
     */
    public synchronized DeliveryWorker deliveryWorker() {
        if (deliveryWorker == null) {
            ForwardSettings fs = forwardSettings();
            ForwardTarget target = fs.target().orElseThrow(() -> new IllegalArgumentException(ForwardTarget.URL
                    + " is mandatory for forwarding responses (in " + SETTINGS_FILE + ")"));
            AcmeSmimeStore s = store();
            forwardClient = new ForwardClient(target, clock);
            deliveryWorker = DeliveryWorker.builder().store(s).client(forwardClient).clock(clock).pollInterval(fs.pollInterval())
                    .batchSize(fs.batchSize()).jitter(fs.jitter()).threads(fs.threads()).probeInterval(fs.probeInterval())
                    .metrics(metrics).build();
            deliveryWorker.start();
        }
        return deliveryWorker;
    }

    /**
     * Organisation role: the one worker of this process that sends responses out of the store's
     * response outbox ({@link ResponseDelivery}, {@code response.*} settings of {@link ResponseOutboxSettings}),
     * started on first call with the first caller's sender (every responder's hands mail to the same
     * spool) and stopped by {@link #close()}.
     */
    public synchronized ResponseDelivery responseDelivery(ResponseSender sender) {
        if (responseDelivery == null) {
            responseDelivery = new ResponseDelivery(store(), sender, clock,
                    ResponseOutboxSettings.fromProperties(settings()).pollInterval());
            responseDelivery.start();
        }
        return responseDelivery;
    }

    /**
     * Organisation role: the challenge lane, once {@code ExpectedChallengeHook} started it; empty otherwise,
     * and then responses go to James's spool.
     */
    public Optional<ChallengeLane> lane() {
        return Optional.ofNullable(lane);
    }

    /** Called by {@link ChallengeLane#start}. */
    void useLane(ChallengeLane started) {
        lane = started;
    }

    /**
     * Expires overdue pending challenges and purges records past their retention
     * ({@link StoreMaintenance}) every {@value #MAINTENANCE_PERIOD_MINUTES} minutes, first a minute after the
     * store opens. Idempotent, so every node of a cluster may run it.
     */
    private void scheduleMaintenance(AcmeSmimeStore opened) {
        StoreMaintenance task = new StoreMaintenance(opened, clock);
        maintenance = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "acme-smime-maintenance");
            t.setDaemon(true);
            return t;
        });
        maintenance.scheduleWithFixedDelay(() -> {
            try {
                StoreMaintenance.Report r = task.runOnce();
                LOGGER.info("acme-smime maintenance: {}", r);
            } catch (RuntimeException e) {
                // the next run tries again; a database outage must not kill the schedule
                LOGGER.warn("acme-smime maintenance failed: {}", e.getMessage());
            }
        }, 1, MAINTENANCE_PERIOD_MINUTES, TimeUnit.MINUTES);
    }

    @PreDestroy
    @Override
    public synchronized void close() {
        if (maintenance != null) {
            maintenance.shutdownNow();
            maintenance = null;
        }
        if (responseDelivery != null) {
            responseDelivery.close();
            responseDelivery = null;
        }
        if (deliveryWorker != null) {
            deliveryWorker.close();
            deliveryWorker = null;
        }
        if (forwardClient != null) {
            forwardClient.close();
            forwardClient = null;
        }
        if (store != null) {
            store.close();
            store = null;
        }
    }

    private static Properties readSettings(Path file) {
        Properties p = new Properties();
        if (!Files.exists(file)) {
            return p;
        }
        try (InputStream in = Files.newInputStream(file)) {
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(SETTINGS_FILE + ": cannot read " + file, e);
        }
        return p;
    }
}
