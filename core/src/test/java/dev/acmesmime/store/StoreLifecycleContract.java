package dev.acmesmime.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

/** Opening the store: schema versions, the master key, and every setting that stops start-up. */
interface StoreLifecycleContract extends StoreFixture {

    @Test
    default void theSchemaVersionIsRecordedWithTheScriptChecksum() throws SQLException {
        assertThat(store().schemaVersion()).isEqualTo(SchemaMigrator.bundled().latestVersion()).isPositive();
        try (Connection c = database().adminConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT version, checksum FROM acme_smime_schema_version ORDER BY version")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getInt(1)).isEqualTo(1);
            assertThat(rs.getString(2)).hasSize(64);
        }
    }

    @Test
    default void reopeningAppliesNothingAndKeepsTheData() throws SQLException {
        store().answeredChallenges().claim("<c@ca.example>", "t", "alice@org.example");
        closeStore();

        AcmeSmimeStore again = open(settings());

        assertThat(again.answeredChallenges().find("<c@ca.example>", "t")).isPresent();
        assertThat(versionRows()).isEqualTo(SchemaMigrator.bundled().latestVersion());
    }

    @Test
    default void anUpgradeAppliesOnlyTheNewScripts() throws SQLException {
        int latest = SchemaMigrator.bundled().latestVersion();
        List<SchemaMigrator.Script> scripts = new ArrayList<>();
        for (int v = 1; v <= latest; v++) {
            scripts.add(SchemaMigrator.parse(v, bundledScript(v)));
        }
        scripts.add(SchemaMigrator.parse(latest + 1, "-- test upgrade\nCREATE TABLE IF NOT EXISTS acme_smime_upgrade_probe (\n"
                + "    id INTEGER PRIMARY KEY\n);\nINSERT INTO acme_smime_upgrade_probe (id) VALUES (7);\n"));

        int version = new SchemaMigrator(scripts).migrate(store().dataSource(), Dialect.of(settings().jdbcUrl()), clock());

        assertThat(version).isEqualTo(latest + 1);
        assertThat(versionRows()).isEqualTo(latest + 1);
        try (Connection c = database().adminConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT id FROM acme_smime_upgrade_probe")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getInt(1)).isEqualTo(7);
        }
        assertThat(new SchemaMigrator(scripts).migrate(store().dataSource(), Dialect.of(settings().jdbcUrl()), clock()))
                .isEqualTo(latest + 1);
    }

    @Test
    default void version3CopiesTheCodesOfOlderDecisionsOutOfTheirDetail() throws SQLException {
        execute("INSERT INTO acme_smime_audit (occurred_at, event, address, outcome, detail) VALUES"
                + " (CURRENT_TIMESTAMP, 'challenge-ignored', 'alice@org.example', 'dkim-none',"
                + " 'codes=dkim-none,no-pending-challenge; dkim-none: no signature; no-pending-challenge: none')");
        execute("INSERT INTO acme_smime_audit (occurred_at, event, address, outcome, detail) VALUES"
                + " (CURRENT_TIMESTAMP, 'challenge-answered', 'alice@org.example', 'answered', 'codes=answered')");
        execute("INSERT INTO acme_smime_audit (occurred_at, event, address, detail) VALUES"
                + " (CURRENT_TIMESTAMP, 'response-forwarded', 'alice@org.example', 'codes=x; not a decision')");

        for (String sql : SchemaMigrator.parse(3, bundledScript(3)).statements()) {
            execute(sql);
        }

        assertThat(store().audit().find(AuditQuery.builder().address("alice@org.example").build()))
                .extracting(AuditRecord::codes)
                .containsExactly(List.of("dkim-none", "no-pending-challenge"), List.of("answered"), List.of());
    }

    @Test
    default void aChangedScriptStopsStartUp() throws SQLException {
        execute("UPDATE acme_smime_schema_version SET checksum = 'edited' WHERE version = 1");
        closeStore();

        assertThatThrownBy(() -> open(settings())).isInstanceOf(StoreConfigurationException.class)
                .hasMessageStartingWith(StoreSettings.JDBC_URL + ": schema script V1")
                .hasMessageContaining("checksum edited");
    }

    @Test
    default void aDatabaseFromANewerPluginStopsStartUp() throws SQLException {
        execute("INSERT INTO acme_smime_schema_version (version, description, checksum, applied_at)"
                + " SELECT 99, 'future', 'x', applied_at FROM acme_smime_schema_version WHERE version = 1");
        closeStore();

        assertThatThrownBy(() -> open(settings())).isInstanceOf(StoreConfigurationException.class)
                .hasMessageStartingWith(StoreSettings.JDBC_URL + ": the database schema is at version")
                .hasMessageContaining("newer than this plugin");
    }

    @Test
    default void nodesStartingTogetherOnAnEmptyDatabaseAllStart() throws Exception {
        TestDatabase fresh = anotherDatabase();
        StoreSettings s = fresh.settings(settings().masterKeyFile()).withPoolSize(2);
        int nodes = 4;
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(nodes);
        try {
            List<Future<AcmeSmimeStore>> started = new ArrayList<>();
            for (int i = 0; i < nodes; i++) {
                StoreSettings node = s.withNodeName("node-" + i);
                started.add(pool.submit(() -> {
                    go.await();
                    return open(node);
                }));
            }
            go.countDown();
            for (Future<AcmeSmimeStore> f : started) {
                assertThat(f.get().schemaVersion()).isEqualTo(SchemaMigrator.bundled().latestVersion());
            }
        } finally {
            pool.shutdown();
        }
        try (Connection c = fresh.adminConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM acme_smime_schema_version")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(SchemaMigrator.bundled().latestVersion());
        }
    }

    @Test
    default void theMasterKeyFileIsCreatedOnFirstStartReadableByTheOwnerOnly() throws Exception {
        Path key = settings().masterKeyFile();

        assertThat(key).exists();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
        assertThat(MasterKey.load(key).keyIdHex()).isEqualTo(store().masterKeyId());
    }

    @Test
    default void aMissingMasterKeyStopsStartUp() throws Exception {
        closeStore();
        Files.delete(settings().masterKeyFile());

        assertThatThrownBy(() -> open(settings())).isInstanceOf(StoreConfigurationException.class)
                .hasMessageStartingWith(StoreSettings.MASTER_KEY_FILE + ": the master key file")
                .hasMessageContaining("does not exist")
                .hasMessageContaining(store().masterKeyId());
    }

    @Test
    default void aMissingMasterKeyIsNotCreatedWhenCreationIsOff() {
        TestDatabase fresh = anotherDatabase();
        StoreSettings s = fresh.settings(tempDir().resolve("absent.key")).withMasterKeyFile(tempDir().resolve("absent.key"), false);

        assertThatThrownBy(() -> open(s)).isInstanceOf(StoreConfigurationException.class)
                .hasMessageStartingWith(StoreSettings.MASTER_KEY_FILE + ": the master key file")
                .hasMessageContaining("does not exist");
        assertThat(tempDir().resolve("absent.key")).doesNotExist();
    }

    @Test
    default void aMasterKeyThatDoesNotMatchTheDataStopsStartUp() throws Exception {
        closeStore();
        Path other = tempDir().resolve("other.key");
        MasterKey.create(other);
        Files.copy(other, settings().masterKeyFile(), java.nio.file.StandardCopyOption.REPLACE_EXISTING);

        assertThatThrownBy(() -> open(settings())).isInstanceOf(StoreConfigurationException.class)
                .hasMessageStartingWith(StoreSettings.MASTER_KEY_FILE + ": the master key in")
                .hasMessageContaining("does not match the data");
    }

    @Test
    default void aMasterKeyFileWithoutAKeyStopsStartUp() throws Exception {
        closeStore();
        Files.writeString(settings().masterKeyFile(), "not base64 at all!");

        assertThatThrownBy(() -> open(settings())).isInstanceOf(StoreConfigurationException.class)
                .hasMessageStartingWith(StoreSettings.MASTER_KEY_FILE + ": ");
    }

    @Test
    default void anUnreachableDatabaseStopsStartUp() throws Exception {
        StoreSettings unreachable = new StoreSettings(database().unreachableUrl(), settings().user(), null, 2,
                settings().masterKeyFile(), true, settings().auditRetention(), "node-a");

        assertThatThrownBy(() -> open(unreachable)).isInstanceOf(StoreConfigurationException.class)
                .hasMessageStartingWith(StoreSettings.JDBC_URL + ": cannot connect to the database at");
    }

    @Test
    default void aRefusedUserStopsStartUp() {
        closeStore();
        // PostgreSQL takes the user from the URL; H2 from the setting
        StoreSettings intruder = new StoreSettings(settings().jdbcUrl().replace("user=postgres", "user=intruder"),
                "intruder", "guess", 2, settings().masterKeyFile(), true, settings().auditRetention(), "node-a");

        assertThatThrownBy(() -> open(intruder)).isInstanceOf(StoreConfigurationException.class)
                .hasMessageStartingWith(StoreSettings.JDBC_USER + ": the database at")
                .hasMessageNotContaining("guess");
    }

    private int versionRows() throws SQLException {
        try (Connection c = database().adminConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM acme_smime_schema_version")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private void execute(String sql) throws SQLException {
        try (Connection c = database().adminConnection(); Statement st = c.createStatement()) {
            st.executeUpdate(sql);
        }
    }

    private static String bundledScript(int version) {
        try (var in = SchemaMigrator.class.getResourceAsStream(
                String.format("/dev/acmesmime/store/migration/V%03d.sql", version))) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
