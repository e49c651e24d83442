package dev.acmesmime.store;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import dev.acmesmime.gateway.CorrespondentCertificateStore;

/**
 * The plugin's state store: one JDBC implementation of every store, on an embedded H2 file by
 * default or on PostgreSQL for James clusters, with the same tables and queries on both.
 * <p>
 * Opening it, once at start-up:
 * <pre>{@code
 * StoreSettings settings = StoreSettings.fromProperties(props, jamesHome);
 * try (AcmeSmimeStore store = AcmeSmimeStore.builder(settings).clock(clock).open()) {
 *     store.answeredChallenges().claim(messageId, tokenPart1, mailbox);
 * }
 * }</pre>
 * {@link Builder#open()} connects (pool: HikariCP), upgrades the schema ({@link SchemaMigrator}),
 * and checks that the master key matches the data: a constant sealed under the key when the
 * database was first opened is opened again. Any problem stops start-up with a
 * {@link StoreConfigurationException} naming the setting to fix.
 */
public final class AcmeSmimeStore implements AutoCloseable, Transactions {
    private static final Logger LOGGER = LoggerFactory.getLogger(AcmeSmimeStore.class);
    static final String META_TABLE = "acme_smime_meta";
    static final String KEY_CHECK = "master-key-check";
    private static final byte[] KEY_CHECK_PLAIN = "acme-smime master key check v1".getBytes(StandardCharsets.US_ASCII);

    private final HikariDataSource dataSource;
    private final Dialect dialect;
    private final int schemaVersion;
    private final MasterKey masterKey;
    private final RetryPolicy retryPolicy;
    private final ResponseOutboxStore responseOutbox;
    private final Jdbc jdbc;
    private final PendingChallengeStore pendingChallenges;
    private final AnsweredChallengeStore answeredChallenges;
    private final OutboxStore outbox;
    private final AuditStore audit;
    private final EnrolmentStore enrolments;
    private final AcmeAccountStore acmeAccounts;
    private final IssuedChallengeStore issuedChallenges;
    private final EvidenceStore evidence;
    private final CorrespondentCertificateStore correspondents;
    private final GatewayPolicyStore gatewayPolicies;

    private AcmeSmimeStore(Builder b, HikariDataSource dataSource, Dialect dialect, int schemaVersion,
                           MasterKey masterKey) {
        this.dataSource = dataSource;
        this.dialect = dialect;
        this.schemaVersion = schemaVersion;
        this.masterKey = masterKey;
        this.retryPolicy = b.retryPolicy;
        Jdbc jdbc = new Jdbc(dataSource, dialect);
        this.jdbc = jdbc;
        SecretCipher cipher = new SecretCipher(masterKey);
        String node = b.settings.nodeName();
        this.pendingChallenges = new JdbcPendingChallengeStore(jdbc, cipher, b.clock);
        this.answeredChallenges = new JdbcAnsweredChallengeStore(jdbc, b.clock, node);
        String leaseOwner = node + "/" + UUID.randomUUID();
        this.outbox = new JdbcOutboxStore(jdbc, b.clock, b.retryPolicy, leaseOwner);
        this.responseOutbox = new JdbcResponseOutboxStore(jdbc, b.clock, b.responseRetryPolicy, leaseOwner);
        this.audit = new JdbcAuditStore(jdbc, b.clock, b.settings.auditRetention());
        this.enrolments = new JdbcEnrolmentStore(jdbc, cipher, b.clock);
        this.acmeAccounts = new JdbcAcmeAccountStore(jdbc, cipher, b.clock);
        this.issuedChallenges = new JdbcIssuedChallengeStore(jdbc, b.clock);
        this.evidence = new JdbcEvidenceStore(jdbc, b.clock, b.settings.auditRetention());
        this.correspondents = new JdbcCorrespondentCertificateStore(jdbc);
        this.gatewayPolicies = new JdbcGatewayPolicyStore(jdbc, b.clock);
    }

    /** Starts opening a store; see {@link Builder}. */
    public static Builder builder(StoreSettings settings) {
        return new Builder(settings);
    }

    public PendingChallengeStore pendingChallenges() {
        return pendingChallenges;
    }

    public AnsweredChallengeStore answeredChallenges() {
        return answeredChallenges;
    }

    public OutboxStore outbox() {
        return outbox;
    }

    /** Organisation role: responses from their claim until James's spool took them (issue 14 §3). */
    public ResponseOutboxStore responseOutbox() {
        return responseOutbox;
    }

    public AuditStore audit() {
        return audit;
    }

    public EnrolmentStore enrolments() {
        return enrolments;
    }

    /** Organisation role: the ACME account of each CA profile (keys sealed). */
    public AcmeAccountStore acmeAccounts() {
        return acmeAccounts;
    }

    /** CA role: challenges sent, for correlating responses and rate limits. */
    public IssuedChallengeStore issuedChallenges() {
        return issuedChallenges;
    }

    /** Full evidence records (raw message, DKIM details, checks), kept as long as the audit log. */
    public EvidenceStore evidence() {
        return evidence;
    }

    /** S/MIME gateway: correspondents' certificates learnt from verified signed mail (G6). */
    public CorrespondentCertificateStore correspondents() {
        return correspondents;
    }

    /** S/MIME gateway: the policy overrides set over WebAdmin, per domain or mailbox. */
    public GatewayPolicyStore gatewayPolicies() {
        return gatewayPolicies;
    }

    /**
     * Runs the work's calls on this store's stores as one transaction (one commit). Used on hot
     * paths such as recording a response: its consumption, outbox item, evidence and audit record
     * are then written all together or not at all.
     */
    @Override
    public <T> T inTransaction(Supplier<T> work) {
        return jdbc.inTransaction("run a transaction", work);
    }

    /** The retry policy the outbox was opened with. */
    public RetryPolicy retryPolicy() {
        return retryPolicy;
    }

    /** The schema version the database is at. */
    public int schemaVersion() {
        return schemaVersion;
    }

    /** {@code "h2"} or {@code "postgresql"}. */
    public String databaseKind() {
        return dialect.name().toLowerCase(Locale.ROOT);
    }

    /** The id of the master key in use (never the key). */
    public String masterKeyId() {
        return masterKey.keyIdHex();
    }

    /** The pooled data source, for health checks. */
    public DataSource dataSource() {
        return dataSource;
    }

    /** Closes the connection pool (an embedded H2 database is closed with its last connection). */
    @Override
    public void close() {
        dataSource.close();
    }

    /**
     * Options for opening the store. Do not reuse a builder after {@link #open()}.
     */
    public static final class Builder {
        private final StoreSettings settings;
        private Clock clock = Clock.systemUTC();
        private RetryPolicy retryPolicy = RetryPolicy.DEFAULT;
        private RetryPolicy responseRetryPolicy = ResponseOutboxSettings.DEFAULT.retryPolicy();

        private Builder(StoreSettings settings) {
            this.settings = Objects.requireNonNull(settings, "settings");
        }

        /** The clock every store reads "now" from (default: system UTC). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Retries and leases of the outbox (default {@link RetryPolicy#DEFAULT}). */
        public Builder retryPolicy(RetryPolicy policy) {
            this.retryPolicy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /**
         * Retries and leases of the organisation's response outbox (default {@link ResponseOutboxSettings#DEFAULT});
         * its {@code maxAttempts} is not used: a response is retried until its challenge expires.
         */
        public Builder responseRetryPolicy(RetryPolicy policy) {
            this.responseRetryPolicy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /**
         * Connects, upgrades the schema and verifies the master key.
         *
         * @throws StoreConfigurationException naming the setting at fault: {@value StoreSettings#JDBC_URL}
         *         (unsupported, unreachable, in use, incompatible schema), {@value StoreSettings#JDBC_USER} /
         *         {@value StoreSettings#JDBC_PASSWORD} (refused), {@value StoreSettings#MASTER_KEY_FILE}
         *         (missing, unreadable, not matching the data)
         */
        public AcmeSmimeStore open() {
            Dialect dialect = Dialect.of(settings.jdbcUrl());
            HikariDataSource ds = connect(dialect);
            try {
                int version = SchemaMigrator.bundled().migrate(ds, dialect, clock);
                try (Connection c = ds.getConnection()) {
                    dialect.prepare(c);
                }
                MasterKey key = checkMasterKey(ds);
                AcmeSmimeStore store = new AcmeSmimeStore(this, ds, dialect, version, key);
                LOGGER.info("acme-smime store open: {} at {}, schema version {}, master key id {}, node {}",
                        store.databaseKind(), settings.redactedJdbcUrl(), version, key.keyIdHex(), settings.nodeName());
                return store;
            } catch (SQLException e) {
                ds.close();
                throw new StoreConfigurationException(StoreSettings.JDBC_URL, "cannot prepare the database at "
                        + settings.redactedJdbcUrl() + ": " + e.getMessage(), e);
            } catch (RuntimeException e) {
                ds.close();
                throw e;
            }
        }

        private HikariDataSource connect(Dialect dialect) {
            HikariConfig config = new HikariConfig();
            config.setPoolName("acme-smime-store");
            config.setJdbcUrl(settings.jdbcUrl());
            // Named explicitly: inside James the driver sits in the extension class loader, where
            // java.sql.DriverManager's caller check would not find it.
            config.setDriverClassName(dialect.driverClassName());
            if (settings.user() != null) {
                config.setUsername(settings.user());
            }
            if (settings.password() != null) {
                config.setPassword(settings.password());
            }
            config.setMaximumPoolSize(settings.poolSize());
            config.setMinimumIdle(Math.min(2, settings.poolSize()));
            config.setConnectionTimeout(10_000);
            // Try the database once at start-up and fail with its error rather than start a store
            // that cannot work.
            config.setInitializationFailTimeout(1);
            try {
                return new HikariDataSource(config);
            } catch (RuntimeException e) {
                throw connectionProblem(e);
            }
        }

        private StoreConfigurationException connectionProblem(RuntimeException e) {
            SQLException sql = null;
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof SQLException s) {
                    sql = s;
                    break;
                }
            }
            String url = settings.redactedJdbcUrl();
            String why = sql != null ? sql.getMessage() : String.valueOf(e.getMessage());
            String state = sql != null ? String.valueOf(sql.getSQLState()) : "";
            return switch (state) {
                case "28P01" -> new StoreConfigurationException(StoreSettings.JDBC_PASSWORD,
                        "the database at " + url + " refused the password of user " + settings.user() + ": " + why, e);
                case "28000" -> new StoreConfigurationException(StoreSettings.JDBC_USER,
                        "the database at " + url + " refused user " + settings.user() + " or its password: " + why, e);
                case "90020" -> new StoreConfigurationException(StoreSettings.JDBC_URL, "the embedded database "
                        + url + " is in use by another process (H2 serves one James node; use PostgreSQL for several): "
                        + why, e);
                default -> new StoreConfigurationException(StoreSettings.JDBC_URL,
                        "cannot connect to the database at " + url + ": " + why, e);
            };
        }

        private MasterKey checkMasterKey(DataSource ds) throws SQLException {
            Jdbc jdbc = new Jdbc(ds);
            Optional<byte[]> check = readKeyCheck(jdbc);
            if (check.isEmpty()) {
                // A database without encrypted data yet: the key may be created now.
                MasterKey key = MasterKey.loadOrCreate(settings.masterKeyFile(), settings.createMasterKey());
                byte[] sealed = new SecretCipher(key).seal(KEY_CHECK_PLAIN, keyCheckAad());
                boolean inserted = jdbc.inConnection("store the master key check", c -> {
                    try {
                        Jdbc.update(c, "INSERT INTO " + META_TABLE + " (name, value_bytes, updated_at) VALUES (?, ?, ?)",
                                KEY_CHECK, sealed, clock.instant());
                        return true;
                    } catch (SQLException e) {
                        if (Jdbc.isUniqueViolation(e)) {
                            return false;
                        }
                        throw e;
                    }
                });
                if (inserted) {
                    return key;
                }
                check = readKeyCheck(jdbc); // another node was first: its key must be ours too
            }
            byte[] sealed = check.orElseThrow();
            if (!Files.exists(settings.masterKeyFile())) {
                throw new StoreConfigurationException(StoreSettings.MASTER_KEY_FILE, "the master key file "
                        + settings.masterKeyFile() + " does not exist, but the database at " + settings.redactedJdbcUrl()
                        + " holds data encrypted under master key id " + keyIdOf(sealed)
                        + "; restore that key file (a new key cannot decrypt the data)");
            }
            MasterKey key = MasterKey.load(settings.masterKeyFile());
            try {
                byte[] plain = new SecretCipher(key).open(sealed, keyCheckAad());
                if (!Arrays.equals(plain, KEY_CHECK_PLAIN)) {
                    throw new SecretCipher.SealedValueException("unexpected key check value");
                }
            } catch (SecretCipher.SealedValueException e) {
                throw new StoreConfigurationException(StoreSettings.MASTER_KEY_FILE, "the master key in "
                        + settings.masterKeyFile() + " (id " + key.keyIdHex() + ") does not match the data in "
                        + settings.redactedJdbcUrl() + ", which was encrypted under master key id " + keyIdOf(sealed)
                        + " (" + e.getMessage() + ")", e);
            }
            return key;
        }

        private static Optional<byte[]> readKeyCheck(Jdbc jdbc) {
            List<byte[]> rows = jdbc.query("read the master key check", "SELECT value_bytes FROM " + META_TABLE
                    + " WHERE name = ?", rs -> rs.getBytes(1), KEY_CHECK);
            return rows.stream().findFirst();
        }

        private static byte[] keyCheckAad() {
            return SecretCipher.aad(META_TABLE, "value_bytes", KEY_CHECK);
        }

        private static String keyIdOf(byte[] sealed) {
            return sealed.length >= 5 ? String.format("%02x%02x%02x%02x", sealed[1], sealed[2], sealed[3], sealed[4])
                    : "?";
        }
    }
}
