package dev.acmesmime.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

/** V005 on a database a plugin of schema version 4 wrote enrolment rows into. */
interface EnrolmentMigrationContract extends StoreFixture {

    @Test
    default void version5KeepsOldEnrolmentRowsReadableAsStepsAndDue() throws Exception {
        TestDatabase old = anotherDatabase();
        Instant written = Jdbc.truncate(clock().instant().minus(Duration.ofDays(3)));
        SecretCipher cipher = new SecretCipher(MasterKey.load(settings().masterKeyFile()));
        byte[] sealed = cipher.seal(new byte[] {7, 7, 7}, SecretCipher.aad("acme_smime_enrolment", "private_key",
                "Carol@Org.Example"));
        try (HikariDataSource ds = dataSource(old)) {
            assertThat(new SchemaMigrator(bundledUpTo(4)).migrate(ds, Dialect.of(old.jdbcUrl()), clock())).isEqualTo(4);
            try (Connection c = ds.getConnection()) {
                insertOld(c, "alice@org.example", "NEW", null, null, null, written);
                insertOld(c, "bob@other.example", "ORDERED", "https://ca.example/order/1", null, null, written);
                insertOld(c, "Carol@Org.Example", "ISSUED", null, sealed, null, written);
                insertOld(c, "dave@org.example", "FAILED", null, null, "order invalid", written);
            }
        }

        AcmeSmimeStore upgraded = open(old.settings(settings().masterKeyFile()));

        assertThat(upgraded.schemaVersion()).isEqualTo(SchemaMigrator.bundled().latestVersion());
        EnrolmentStore enrolments = upgraded.enrolments();
        assertThat(enrolments.countByStep()).isEqualTo(Map.of(EnrolmentStep.NONE, 1L, EnrolmentStep.ORDERED, 1L,
                EnrolmentStep.ISSUED, 1L, EnrolmentStep.FAILED, 1L));
        assertThat(enrolments.find("bob@other.example").orElseThrow().orderUrl())
                .contains(URI.create("https://ca.example/order/1"));
        Enrolment carol = enrolments.find("Carol@Org.Example").orElseThrow();
        assertThat(carol.privateKey().orElseThrow().bytes()).containsExactly(7, 7, 7);
        assertThat(carol.certificatePem()).contains("PEM");
        assertThat(enrolments.find("dave@org.example").orElseThrow().problemDetail()).contains("order invalid");
        assertThat(enrolments.list(Optional.of("org.example"), Optional.empty(), Optional.empty(), 10))
                .extracting(Enrolment::mailbox).containsExactlyInAnyOrder("Carol@Org.Example", "alice@org.example",
                        "dave@org.example");
        assertThat(enrolments.claimDue(clock().instant(), "w1", Duration.ofMinutes(1), 10))
                .as("every old row is due once, so that the engine schedules it")
                .hasSize(4).allSatisfy(e -> assertThat(e.nextAttemptAt()).contains(written));
    }

    private static void insertOld(Connection c, String mailbox, String state, String orderUrl, byte[] key,
                                  String lastError, Instant at) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("INSERT INTO acme_smime_enrolment (mailbox, state, order_url,"
                + " certificate_pem, private_key, last_error, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            st.setString(1, mailbox);
            st.setString(2, state);
            st.setString(3, orderUrl);
            st.setString(4, key == null ? null : "PEM");
            st.setBytes(5, key);
            st.setString(6, lastError);
            st.setObject(7, OffsetDateTime.ofInstant(at, ZoneOffset.UTC));
            st.executeUpdate();
        }
    }

    private static HikariDataSource dataSource(TestDatabase db) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(db.jdbcUrl());
        if (db.user() != null) {
            config.setUsername(db.user());
        }
        config.setMaximumPoolSize(1);
        return new HikariDataSource(config);
    }

    private static List<SchemaMigrator.Script> bundledUpTo(int version) throws IOException {
        List<SchemaMigrator.Script> scripts = new ArrayList<>();
        for (int v = 1; v <= version; v++) {
            try (InputStream in = SchemaMigrator.class.getResourceAsStream(
                    String.format("/dev/acmesmime/store/migration/V%03d.sql", v))) {
                scripts.add(SchemaMigrator.parse(v, new String(in.readAllBytes(), StandardCharsets.UTF_8)));
            }
        }
        return scripts;
    }
}
