package dev.acmesmime.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;

import org.junit.jupiter.api.Test;

/** Every store contract on an embedded H2 file database (the default). */
class H2StoreTest extends StoreTestBase implements StoreMaintenanceContract, PendingChallengeStoreContract, AnsweredChallengeStoreContract,
        OutboxStoreContract, AuditStoreContract, EnrolmentStoreContract, EncryptionAtRestContract,
        StoreLifecycleContract, ConcurrentClaimContract, DurabilityContract, IssuedChallengeStoreContract,
        EnrolmentClaimContract, EnrolmentWakeContract, EnrolmentMigrationContract, AcmeAccountStoreContract, ResponseOutboxStoreContract,
        CorrespondentCertificateStoreContract, GatewayPolicyStoreContract {

    @Override
    TestDatabase createDatabase(Path dir) {
        return new TestDatabase.H2(dir);
    }

    /**
     * H2's page cache sits in James's heap, and a dead chunk's space waits for the retention time before reuse: the
     * store bounds both below H2's defaults (64 MB, 45 s), for issue 15's 10,000 mailboxes enrolled at once.
     */
    @Test
    void theEmbeddedPageCacheAndRetentionAreBounded() throws Exception {
        assertThat(setting("CACHE_SIZE")).isEqualTo(Dialect.H2_CACHE_KB).isLessThan(64 * 1024);
        assertThat(setting("RETENTION_TIME")).isEqualTo(Dialect.H2_RETENTION_MS).isLessThan(45_000);
    }

    private int setting(String name) throws Exception {
        StoreSettings s = settings();
        try (Connection c = DriverManager.getConnection(s.jdbcUrl(), s.user(), s.password() == null ? "" : s.password());
             PreparedStatement st = c.prepareStatement("SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS"
                     + " WHERE SETTING_NAME = ?")) {
            st.setString(1, name);
            try (ResultSet rs = st.executeQuery()) {
                assertThat(rs.next()).as(name).isTrue();
                return Integer.parseInt(rs.getString(1));
            }
        }
    }
}
