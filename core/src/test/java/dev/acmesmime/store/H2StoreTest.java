package dev.acmesmime.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

import org.junit.jupiter.api.Test;

/** Every store contract on an embedded H2 file database (the default). */
class H2StoreTest extends StoreTestBase implements StoreMaintenanceContract, PendingChallengeStoreContract, AnsweredChallengeStoreContract,
        OutboxStoreContract, AuditStoreContract, EnrolmentStoreContract, EncryptionAtRestContract,
        StoreLifecycleContract, ConcurrentClaimContract, DurabilityContract, IssuedChallengeStoreContract,
        EnrolmentClaimContract, EnrolmentWakeContract, EnrolmentMigrationContract, AcmeAccountStoreContract, ResponseOutboxStoreContract {

    @Override
    TestDatabase createDatabase(Path dir) {
        return new TestDatabase.H2(dir);
    }

    /** H2's page cache sits in James's heap: the store bounds it below H2's 64 MB default (issue 15's heap goal). */
    @Test
    void theEmbeddedPageCacheIsBounded() throws Exception {
        StoreSettings s = settings();
        try (Connection c = DriverManager.getConnection(s.jdbcUrl(), s.user(), s.password() == null ? "" : s.password());
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS"
                     + " WHERE SETTING_NAME = 'CACHE_SIZE'")) {
            assertThat(rs.next()).isTrue();
            assertThat(Integer.parseInt(rs.getString(1))).isEqualTo(Dialect.H2_CACHE_KB).isLessThan(64 * 1024);
        }
    }
}
