package dev.acmesmime.store;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Properties;

/**
 * Where and how the state store keeps its data, read from the plugin's settings file
 * {@code conf/acme-smime.properties}.
 * <p>
 * Settings (all optional):
 * <pre>
 * # JDBC URL. Default: an embedded H2 file database under James's working directory,
 * #   jdbc:h2:file:&lt;james home&gt;/var/acme-smime/store   (the file is store.mv.db)
 * # Use PostgreSQL when several James nodes share the work:
 * #   store.jdbc.url=jdbc:postgresql://db.example.org:5432/acme_smime
 * store.jdbc.url=
 * # Database user and password (default: none for PostgreSQL, "acme_smime" for H2)
 * store.jdbc.user=
 * store.jdbc.password=
 * # Connections in the pool (1..200, default 10)
 * store.pool.size=10
 * # File holding the master key (32 random bytes, base64) that encrypts private keys at rest.
 * # Relative paths are resolved against James's working directory.
 * # Default: conf/acme-smime-master.key (kept apart from var/, so a copy of var/ alone reveals no key)
 * store.masterKeyFile=conf/acme-smime-master.key
 * # Create the master key file on first start when it is missing and the database holds no
 * # encrypted data yet (true|false, default true). Set to false on cluster nodes, which must all
 * # share one key created with the admin command.
 * store.masterKeyFile.create=true
 * # Audit records older than this many days are purged (1..36500, default 825)
 * store.audit.retentionDays=825
 * # Name of this node in claims and leases (default: the host name)
 * store.nodeName=
 * </pre>
 * Every value is checked here, once; a bad one raises a {@link StoreConfigurationException}
 * whose message starts with the setting's name.
 *
 * @param jdbcUrl             JDBC URL, {@code jdbc:h2:...} (embedded file or memory) or {@code jdbc:postgresql:...}
 * @param user                database user, or {@code null} to take it from the URL
 * @param password            database password, or {@code null}; never shown by {@link #toString()}
 * @param poolSize            maximum connections in the pool
 * @param masterKeyFile       absolute path of the master key file
 * @param createMasterKey     whether a missing master key file may be created on a fresh database
 * @param auditRetention      how long audit records are kept
 * @param nodeName            this node's name in claims and outbox leases
 */
public record StoreSettings(String jdbcUrl, String user, String password, int poolSize, Path masterKeyFile,
                            boolean createMasterKey, Duration auditRetention, String nodeName) {

    public static final String JDBC_URL = "store.jdbc.url";
    public static final String JDBC_USER = "store.jdbc.user";
    public static final String JDBC_PASSWORD = "store.jdbc.password";
    public static final String POOL_SIZE = "store.pool.size";
    public static final String MASTER_KEY_FILE = "store.masterKeyFile";
    public static final String MASTER_KEY_CREATE = "store.masterKeyFile.create";
    public static final String AUDIT_RETENTION_DAYS = "store.audit.retentionDays";
    public static final String NODE_NAME = "store.nodeName";

    public static final int DEFAULT_POOL_SIZE = 10;
    public static final int DEFAULT_AUDIT_RETENTION_DAYS = 825;
    /** Relative to James's working directory. */
    public static final String DEFAULT_MASTER_KEY_FILE = "conf/acme-smime-master.key";
    /** Relative to James's working directory; H2 appends {@code .mv.db}. */
    public static final String DEFAULT_H2_DATABASE = "var/acme-smime/store";
    /**
     * H2 default user. H2 embedded sets the owner on creation; the file is protected by the
     * file system, not by this password.
     */
    public static final String DEFAULT_H2_USER = "acme_smime";

    public StoreSettings {
        Objects.requireNonNull(jdbcUrl, JDBC_URL);
        Objects.requireNonNull(masterKeyFile, MASTER_KEY_FILE);
        Objects.requireNonNull(auditRetention, AUDIT_RETENTION_DAYS);
        Objects.requireNonNull(nodeName, NODE_NAME);
        Dialect.of(jdbcUrl);
        if (poolSize < 1 || poolSize > 200) {
            throw new StoreConfigurationException(POOL_SIZE, "must be between 1 and 200, got " + poolSize);
        }
        if (auditRetention.isNegative() || auditRetention.isZero()) {
            throw new StoreConfigurationException(AUDIT_RETENTION_DAYS, "must be at least 1 day");
        }
    }

    /**
     * Reads the {@code store.*} settings.
     *
     * @param properties the plugin's settings; keys other than {@code store.*} are ignored
     * @param jamesHome  James's working directory: the default database and key file live under it
     * @throws StoreConfigurationException naming the first bad setting
     */
    public static StoreSettings fromProperties(Properties properties, Path jamesHome) {
        Path home = jamesHome.toAbsolutePath().normalize();
        String url = value(properties, JDBC_URL);
        if (url == null) {
            url = defaultH2Url(home);
        }
        String user = value(properties, JDBC_USER);
        if (user == null && url.startsWith(Dialect.H2.prefix())) {
            user = DEFAULT_H2_USER;
        }
        String password = properties.getProperty(JDBC_PASSWORD);
        if (password != null && password.isEmpty()) {
            password = null;
        }
        int pool = intValue(properties, POOL_SIZE, DEFAULT_POOL_SIZE, 1, 200);
        String keyFile = value(properties, MASTER_KEY_FILE);
        Path key;
        try {
            key = home.resolve(keyFile == null ? DEFAULT_MASTER_KEY_FILE : keyFile).normalize();
        } catch (InvalidPathException e) {
            throw new StoreConfigurationException(MASTER_KEY_FILE, "not a valid path: " + e.getMessage(), e);
        }
        boolean create = booleanValue(properties, MASTER_KEY_CREATE, true);
        int days = intValue(properties, AUDIT_RETENTION_DAYS, DEFAULT_AUDIT_RETENTION_DAYS, 1, 36500);
        String node = value(properties, NODE_NAME);
        return new StoreSettings(url, user, password, pool, key, create, Duration.ofDays(days),
                node == null ? defaultNodeName() : node);
    }

    /** The embedded default: an H2 file under {@code <jamesHome>/var/acme-smime/}. */
    public static String defaultH2Url(Path jamesHome) {
        return "jdbc:h2:file:" + jamesHome.toAbsolutePath().normalize().resolve(DEFAULT_H2_DATABASE);
    }

    /** A copy using another master key file (tests, the admin CLI). */
    public StoreSettings withMasterKeyFile(Path file, boolean create) {
        return new StoreSettings(jdbcUrl, user, password, poolSize, file, create, auditRetention, nodeName);
    }

    public StoreSettings withNodeName(String name) {
        return new StoreSettings(jdbcUrl, user, password, poolSize, masterKeyFile, createMasterKey, auditRetention, name);
    }

    public StoreSettings withPoolSize(int size) {
        return new StoreSettings(jdbcUrl, user, password, size, masterKeyFile, createMasterKey, auditRetention, nodeName);
    }

    /** The URL with any {@code password=} parameter hidden, for logs and messages. */
    public String redactedJdbcUrl() {
        return redact(jdbcUrl);
    }

    static String redact(String url) {
        return url.replaceAll("(?i)(password=)[^&;]*", "$1***");
    }

    @Override
    public String toString() {
        return "StoreSettings[jdbcUrl=" + redactedJdbcUrl() + ", user=" + user
                + ", password=" + (password == null ? "none" : "***") + ", poolSize=" + poolSize
                + ", masterKeyFile=" + masterKeyFile + ", createMasterKey=" + createMasterKey
                + ", auditRetention=" + auditRetention.toDays() + "d, nodeName=" + nodeName + "]";
    }

    private static String value(Properties p, String key) {
        String v = p.getProperty(key);
        if (v == null) {
            return null;
        }
        v = v.trim();
        return v.isEmpty() ? null : v;
    }

    static int intValue(Properties p, String key, int dflt, int min, int max) {
        String v = value(p, key);
        if (v == null) {
            return dflt;
        }
        int i;
        try {
            i = Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new StoreConfigurationException(key, "not a whole number: '" + v + "'");
        }
        if (i < min || i > max) {
            throw new StoreConfigurationException(key, "must be between " + min + " and " + max + ", got " + i);
        }
        return i;
    }

    private static boolean booleanValue(Properties p, String key, boolean dflt) {
        String v = value(p, key);
        if (v == null) {
            return dflt;
        }
        if (v.equalsIgnoreCase("true")) {
            return true;
        }
        if (v.equalsIgnoreCase("false")) {
            return false;
        }
        throw new StoreConfigurationException(key, "must be true or false, got '" + v + "'");
    }

    private static String defaultNodeName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "node";
        }
    }
}
