package dev.acmesmime.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.opentest4j.TestAbortedException;

/**
 * A real PostgreSQL server for the tests: the one named by {@code ACME_SMIME_PG_URL} (started by
 * {@code .ci/postgres.sh} in CI), or else a throwaway cluster this JVM starts with the same script
 * and stops on exit. With {@code CI=true} and no server, the tests fail instead of skipping.
 */
public final class PostgresTestServer {
    static final String ENV_URL = "ACME_SMIME_PG_URL";
    private static final Pattern URL = Pattern.compile("^(jdbc:postgresql://[^/]+/)([^?]*)(\\?.*)?$");
    private static String adminUrl;
    private static String unavailable;

    private PostgresTestServer() {
    }

    /** The URL of a database with superuser rights, to create and drop test databases. */
    public static synchronized String adminUrl() {
        if (adminUrl == null && unavailable == null) {
            String env = System.getenv(ENV_URL);
            if (env != null && !env.isBlank()) {
                adminUrl = env.trim();
            } else {
                try {
                    adminUrl = startOwnCluster();
                } catch (IOException | RuntimeException e) {
                    unavailable = e.getMessage();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    unavailable = "interrupted";
                }
            }
        }
        if (adminUrl == null) {
            String why = "no PostgreSQL server: " + ENV_URL + " is not set and .ci/postgres.sh failed: " + unavailable;
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new IllegalStateException(why + " (CI=true: PostgreSQL tests must run)");
            }
            throw new TestAbortedException(why);
        }
        return adminUrl;
    }

    /** Creates a fresh database; returns its JDBC URL. */
    public static String createDatabase() {
        String name = "acme_smime_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        execute("CREATE DATABASE " + name);
        return withDatabase(adminUrl(), name);
    }

    /** Drops the database of {@code url}, closing any connection left open. */
    public static void dropDatabase(String url) {
        execute("DROP DATABASE IF EXISTS " + databaseOf(url) + " WITH (FORCE)");
    }

    static Connection connect(String url) throws SQLException {
        return DriverManager.getConnection(url);
    }

    static String databaseOf(String url) {
        Matcher m = URL.matcher(url);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a jdbc:postgresql://host:port/db URL: " + url);
        }
        return m.group(2).toLowerCase(Locale.ROOT);
    }

    static String withDatabase(String url, String database) {
        Matcher m = URL.matcher(url);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a jdbc:postgresql://host:port/db URL: " + url);
        }
        return m.group(1) + database + (m.group(3) == null ? "" : m.group(3));
    }

    private static void execute(String sql) {
        try (Connection c = connect(adminUrl()); Statement st = c.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    static Path script() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path s = dir.resolve(".ci/postgres.sh");
            if (Files.isExecutable(s)) {
                return s;
            }
        }
        throw new IllegalStateException(".ci/postgres.sh not found above " + Path.of("").toAbsolutePath());
    }

    private static String startOwnCluster() throws IOException, InterruptedException {
        Path script = script();
        Process p = new ProcessBuilder(script.toString(), "start").redirectErrorStream(false).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(script + " start did not finish in 120 s");
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new IllegalStateException(script + " start failed: " + err.trim());
        }
        String url = value(out, ENV_URL);
        String dir = value(out, "ACME_SMIME_PG_DIR");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                new ProcessBuilder(script.toString(), "stop", dir).inheritIO().start().waitFor(60, TimeUnit.SECONDS);
            } catch (IOException | InterruptedException e) {
                // the JVM is going down; the temp dir stays for the admin to remove
            }
        }, "stop-test-postgres"));
        return url;
    }

    private static String value(String output, String name) {
        Matcher m = Pattern.compile("export " + name + "='([^']*)'").matcher(output);
        if (!m.find()) {
            throw new IllegalStateException("no " + name + " in the output of .ci/postgres.sh: " + output);
        }
        return m.group(1);
    }
}
