package dev.acmesmime.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** One empty database for one test, on H2 or PostgreSQL, dropped afterwards. */
interface TestDatabase extends AutoCloseable {

    String jdbcUrl();

    String user();

    /** A plain JDBC connection to the same database, outside the store (to look at or tamper with rows). */
    Connection adminConnection() throws SQLException;

    /**
     * Everything a dump of this database reveals, as text: for H2 its SQL {@code SCRIPT} plus the raw
     * bytes of its files (ISO-8859-1); for PostgreSQL every row of every table as {@code row::text}.
     */
    String dump() throws Exception;

    /** A JDBC URL on which nothing answers. */
    String unreachableUrl() throws IOException;

    @Override
    void close();

    default StoreSettings settings(Path masterKeyFile) {
        return new StoreSettings(jdbcUrl(), user(), null, 4, masterKeyFile, true, Duration.ofDays(825), "node-a");
    }

    static List<String> storeTables(Connection c) throws SQLException {
        List<String> tables = new ArrayList<>();
        try (ResultSet rs = c.getMetaData().getTables(null, null, "%", new String[] {"TABLE"})) {
            while (rs.next()) {
                String name = rs.getString("TABLE_NAME");
                if (name.toLowerCase().startsWith("acme_smime_")) {
                    tables.add(name);
                }
            }
        }
        return tables;
    }

    /** An embedded H2 file database in a temporary directory. */
    final class H2 implements TestDatabase {
        private final Path dir;
        private final String url;

        H2(Path dir) {
            this.dir = dir;
            // No WRITE_DELAY=0 here: the store must make commits durable itself (DurabilityContract)
            this.url = "jdbc:h2:file:" + dir.resolve("store");
        }

        @Override
        public String jdbcUrl() {
            return url;
        }

        @Override
        public String user() {
            return StoreSettings.DEFAULT_H2_USER;
        }

        @Override
        public Connection adminConnection() throws SQLException {
            return DriverManager.getConnection(url, user(), "");
        }

        @Override
        public String dump() throws Exception {
            StringBuilder out = new StringBuilder();
            try (Connection c = adminConnection(); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SCRIPT")) {
                while (rs.next()) {
                    out.append(rs.getString(1)).append('\n');
                }
            }
            // Close the database so every page is in the file, then read the file itself.
            try (Connection c = adminConnection(); Statement st = c.createStatement()) {
                st.execute("SHUTDOWN");
            }
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    if (Files.isRegularFile(f) && f.getFileName().toString().startsWith("store")) {
                        out.append(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1));
                    }
                }
            }
            return out.toString();
        }

        @Override
        public String unreachableUrl() throws IOException {
            // The database would have to live below a regular file: H2 cannot create it.
            Path file = Files.createTempFile(dir, "not-a-dir", "");
            return "jdbc:h2:file:" + file.resolve("db/store") + ";TRACE_LEVEL_FILE=0";
        }

        @Override
        public void close() {
            // the temporary directory goes with the test
        }
    }

    /** A fresh database on the test PostgreSQL server. */
    final class Postgres implements TestDatabase {
        private final String url = PostgresTestServer.createDatabase();

        @Override
        public String jdbcUrl() {
            return url;
        }

        @Override
        public String user() {
            return null;
        }

        @Override
        public Connection adminConnection() throws SQLException {
            return PostgresTestServer.connect(url);
        }

        @Override
        public String dump() throws Exception {
            StringBuilder out = new StringBuilder();
            try (Connection c = adminConnection(); Statement st = c.createStatement()) {
                for (String table : storeTables(c)) {
                    try (ResultSet rs = st.executeQuery("SELECT t::text FROM " + table + " t")) {
                        while (rs.next()) {
                            out.append(table).append(": ").append(rs.getString(1)).append('\n');
                        }
                    }
                }
            }
            return out.toString();
        }

        @Override
        public String unreachableUrl() throws IOException {
            int port;
            try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                port = s.getLocalPort();
            }
            return "jdbc:postgresql://127.0.0.1:" + port + "/acme_smime?user=postgres&connectTimeout=5";
        }

        @Override
        public void close() {
            PostgresTestServer.dropDatabase(url);
        }
    }
}
