package dev.acmesmime.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings the database schema to the version this plugin needs, at start-up.
 * <p>
 * Why not Flyway or Liquibase: the plugin runs inside James 3.8.1, whose class loader is consulted
 * first for every class of an extension jar. Flyway 10+ needs Jackson 2.15+ (James has 2.14.1)
 * and a TOML parser, and Liquibase brings its own set of shared libraries; either would run against
 * James's older copies and break in ways only a full James start shows. The job itself is small,
 * so it is done here with no dependency, in the same manner:
 * <ul>
 * <li>numbered scripts {@code /dev/acmesmime/store/migration/V001.sql}, {@code V002.sql}, ... on
 *     the class path, the first line a {@code --} description; one script serves H2 and PostgreSQL;</li>
 * <li>a table {@value #VERSION_TABLE} records each applied version with the SHA-256 of its text;
 *     a recorded script whose text has changed, or a database newer than the plugin, stops start-up;</li>
 * <li>all pending scripts are applied and recorded in one transaction, after
 *     {@link Dialect#lockForMigration taking a lock} so that two nodes starting together apply
 *     each script once (PostgreSQL: advisory transaction lock, DDL is transactional; embedded H2:
 *     one JVM only, serialised here, and scripts use {@code IF NOT EXISTS} since H2 commits DDL).</li>
 * </ul>
 */
final class SchemaMigrator {
    private static final Logger LOGGER = LoggerFactory.getLogger(SchemaMigrator.class);
    static final String VERSION_TABLE = "acme_smime_schema_version";
    private static final String RESOURCE = "/dev/acmesmime/store/migration/V%03d.sql";
    /** Serialises upgrades of embedded databases inside this JVM (the only JVM that can open them). */
    private static final Object JVM_LOCK = new Object();

    /** One numbered script. */
    record Script(int version, String description, String checksum, List<String> statements) {
    }

    private final List<Script> scripts;

    SchemaMigrator(List<Script> scripts) {
        this.scripts = List.copyOf(scripts);
        for (int i = 0; i < this.scripts.size(); i++) {
            if (this.scripts.get(i).version() != i + 1) {
                throw new IllegalArgumentException("scripts must be numbered 1, 2, 3...: " + this.scripts);
            }
        }
    }

    /** The scripts bundled with this plugin. */
    static SchemaMigrator bundled() {
        List<Script> found = new ArrayList<>();
        for (int v = 1; ; v++) {
            String name = String.format(RESOURCE, v);
            try (InputStream in = SchemaMigrator.class.getResourceAsStream(name)) {
                if (in == null) {
                    break;
                }
                found.add(parse(v, new String(in.readAllBytes(), StandardCharsets.UTF_8)));
            } catch (IOException e) {
                throw new IllegalStateException("cannot read bundled script " + name, e);
            }
        }
        return new SchemaMigrator(found);
    }

    int latestVersion() {
        return scripts.size();
    }

    static Script parse(int version, String text) {
        String normalised = text.replace("\r\n", "\n");
        String firstLine = normalised.lines().findFirst().orElse("").trim();
        String description = firstLine.startsWith("--") ? firstLine.substring(2).trim() : "";
        List<String> statements = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : normalised.split("\n")) {
            String t = line.trim();
            if (t.isEmpty() || t.startsWith("--")) {
                continue;
            }
            if (t.endsWith(";")) {
                current.append(t, 0, t.length() - 1);
                statements.add(current.toString().trim());
                current.setLength(0);
            } else {
                current.append(t).append('\n');
            }
        }
        if (!current.toString().isBlank()) {
            throw new IllegalStateException("script V" + version + " ends without ';'");
        }
        return new Script(version, description, sha256(normalised), List.copyOf(statements));
    }

    /**
     * Applies what is missing.
     *
     * @return the schema version the database is at afterwards
     * @throws StoreConfigurationException naming {@value StoreSettings#JDBC_URL} if the database
     *         holds a schema this plugin cannot use (newer, or a changed script)
     * @throws SQLException when the database fails
     */
    int migrate(DataSource dataSource, Dialect dialect, Clock clock) throws SQLException {
        if (dialect == Dialect.H2) {
            synchronized (JVM_LOCK) {
                return migrateLocked(dataSource, dialect, clock);
            }
        }
        return migrateLocked(dataSource, dialect, clock);
    }

    private int migrateLocked(DataSource dataSource, Dialect dialect, Clock clock) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                dialect.lockForMigration(c);
                try (Statement st = c.createStatement()) {
                    st.execute("CREATE TABLE IF NOT EXISTS " + VERSION_TABLE + " ("
                            + "version INTEGER PRIMARY KEY, description VARCHAR(200) NOT NULL,"
                            + " checksum VARCHAR(64) NOT NULL, applied_at TIMESTAMP WITH TIME ZONE NOT NULL)");
                }
                NavigableMap<Integer, String> applied = applied(c);
                verify(applied);
                int from = applied.size();
                for (Script s : scripts.subList(from, scripts.size())) {
                    apply(c, s, clock);
                }
                c.commit();
                if (from < scripts.size()) {
                    LOGGER.info("Upgraded the acme-smime store schema from version {} to {}", from, scripts.size());
                }
                return scripts.size();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    private static NavigableMap<Integer, String> applied(Connection c) throws SQLException {
        NavigableMap<Integer, String> applied = new TreeMap<>();
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT version, checksum FROM " + VERSION_TABLE + " ORDER BY version")) {
            while (rs.next()) {
                applied.put(rs.getInt(1), rs.getString(2));
            }
        }
        return applied;
    }

    private void verify(NavigableMap<Integer, String> applied) {
        int expected = 1;
        for (Map.Entry<Integer, String> e : applied.entrySet()) {
            int v = e.getKey();
            if (v > scripts.size()) {
                int newest = applied.lastKey();
                throw new StoreConfigurationException(StoreSettings.JDBC_URL, "the database schema is at version "
                        + newest + ", newer than this plugin knows (" + scripts.size()
                        + "); upgrade the plugin or point " + StoreSettings.JDBC_URL + " at another database");
            }
            if (v != expected++) {
                throw new StoreConfigurationException(StoreSettings.JDBC_URL, "the database schema history lacks"
                        + " version " + (expected - 1) + " (found " + applied.keySet() + ")");
            }
            Script s = scripts.get(v - 1);
            if (!s.checksum().equals(e.getValue())) {
                throw new StoreConfigurationException(StoreSettings.JDBC_URL, "schema script V" + v + " ("
                        + s.description() + ") was applied with checksum " + e.getValue()
                        + " but this plugin's script has " + s.checksum() + "; the database was made by another build");
            }
        }
    }

    private static void apply(Connection c, Script s, Clock clock) throws SQLException {
        try (Statement st = c.createStatement()) {
            for (String sql : s.statements()) {
                st.execute(sql);
            }
        }
        try (PreparedStatement ins = c.prepareStatement("INSERT INTO " + VERSION_TABLE
                + " (version, description, checksum, applied_at) VALUES (?, ?, ?, ?)")) {
            ins.setInt(1, s.version());
            ins.setString(2, s.description().length() > 200 ? s.description().substring(0, 200) : s.description());
            ins.setString(3, s.checksum());
            ins.setObject(4, OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC));
            ins.executeUpdate();
        }
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is mandatory in every JRE", e);
        }
    }
}
