package dev.acmesmime.james.enrolment;

import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import javax.annotation.PreDestroy;
import javax.inject.Inject;
import javax.inject.Singleton;

import org.apache.james.core.Username;
import org.apache.james.user.api.UsersRepository;
import org.apache.james.user.api.UsersRepositoryException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.acmesmime.acme.CaProfile;
import dev.acmesmime.enrolment.CaClients;
import dev.acmesmime.enrolment.Enroller;
import dev.acmesmime.enrolment.EnrolmentSettings;
import dev.acmesmime.james.runtime.AcmeSmimeRuntime;
import dev.acmesmime.store.AcmeSmimeStore;
import dev.acmesmime.store.EnrolmentStep;
import dev.acmesmime.store.StoreSettings;

/**
 * The automatic S/MIME enrolment inside one James process: the core engine ({@link Enroller}, with its
 * worker) built from the plugin's runtime, and the {@link UsersScanner} that feeds it James's users every
 * {@value EnrolmentSettings#USER_SCAN} seconds. Started by {@link EnrolmentStartable}, used by the WebAdmin
 * routes; one per process ({@link Singleton}), stopped with James.
 * <p>
 * Settings: the {@code enrolment.*} keys of {@code conf/acme-smime.properties} (see {@link EnrolmentSettings}
 * and {@code dev.acmesmime.acme.CaProfiles}); nothing runs unless {@value EnrolmentSettings#ENABLED} is true.
 */
@Singleton
public class EnrolmentService implements AutoCloseable {

    private static final Logger LOGGER = LoggerFactory.getLogger(EnrolmentService.class);

    private final AcmeSmimeRuntime runtime;
    private final UsersRepository users;
    private volatile Enroller enroller;
    private ScheduledExecutorService scans;

    @Inject
    public EnrolmentService(AcmeSmimeRuntime runtime, UsersRepository users) {
        this.runtime = runtime;
        this.users = users;
    }

    /**
     * Reads the settings and, when the enrolment is on, starts the engine and the user scan; idempotent.
     *
     * @throws dev.acmesmime.enrolment.EnrolmentSettingsException or {@code CaProfileException}, naming the bad key
     */
    public synchronized void start() {
        if (enroller != null) {
            return;
        }
        EnrolmentSettings settings = EnrolmentSettings.parse(runtime.settings(),
                runtime.home().resolve(AcmeSmimeRuntime.SETTINGS_FILE).getParent());
        if (!settings.enabled()) {
            LOGGER.info("acme-smime enrolment is off ({}=false)", EnrolmentSettings.ENABLED);
            return;
        }
        Acme4jServiceLoading.prepare();
        AcmeSmimeStore store = runtime.store();
        String node = StoreSettings.fromProperties(runtime.settings(), runtime.home()).nodeName();
        Enroller started = Enroller.create(settings, store, CaClients.acme(settings.profiles(), store.acmeAccounts()),
                runtime.clock(), runtime.metrics(), node);
        started.start();
        enroller = started;
        UsersScanner scanner = new UsersScanner(users, store.enrolments(), new UsersScanner.Engine() {
            @Override
            public void known(List<String> mailboxes) {
                started.known(mailboxes);
            }

            @Override
            public void forget(String mailbox) {
                started.forget(mailbox, settings.revokeOnDelete());
            }
        });
        scans = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "acme-smime-user-scan");
            t.setDaemon(true);
            return t;
        });
        long period = settings.userScan().toSeconds();
        scans.scheduleWithFixedDelay(UsersScanner.periodic(scanner, settings.userScan()), 0, period, TimeUnit.SECONDS);
        LOGGER.info("acme-smime enrolment started: profiles {}, users scanned every {} s",
                settings.profiles().all().stream().map(CaProfile::name).collect(Collectors.toList()), period);
    }

    /** The engine, or empty while the enrolment is off. */
    public Optional<Enroller> enroller() {
        return Optional.ofNullable(enroller);
    }

    /**
     * The task of {@code action=enrolAll}: every user in scope is enrolled (a new one gets an enrolment, a
     * failed one is tried again; pending and issued ones are left as they are). Users are streamed.
     */
    public EnrolmentTask enrolAll(Enroller engine) throws UsersRepositoryException {
        return new EnrolmentTask(EnrolmentTask.ENROL_ALL, "enrolAll", users.countUsers(), counter -> {
            Iterator<Username> it = users.list();
            while (it.hasNext()) {
                String mailbox = it.next().asString();
                try {
                    enrolOne(engine, mailbox);
                    counter.done(1);
                } catch (RuntimeException e) {
                    counter.failed(mailbox, e.getMessage());
                }
            }
        }, runtime.clock());
    }

    private static void enrolOne(Enroller engine, String mailbox) {
        if (mailbox.indexOf('@') <= 0 || !engine.settings().inScope(mailbox)) {
            return;
        }
        if (!engine.known(mailbox) && engine.status(mailbox).map(e -> e.step() == EnrolmentStep.FAILED).orElse(false)) {
            engine.enrolNow(mailbox);
        }
    }

    /** The task of {@code action=renewDue}: every issued enrolment made due ({@link Enroller#renewDue}). */
    public EnrolmentTask renewDue(Enroller engine) {
        long issued = engine.counts().getOrDefault(EnrolmentStep.ISSUED, 0L);
        return new EnrolmentTask(EnrolmentTask.RENEW_DUE, "renewDue", issued,
                counter -> counter.done(engine.renewDue()), runtime.clock());
    }

    @PreDestroy
    @Override
    public synchronized void close() {
        if (scans != null) {
            scans.shutdownNow();
            scans = null;
        }
        if (enroller != null) {
            enroller.close();
            enroller = null;
        }
    }
}
