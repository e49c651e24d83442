package dev.acmesmime.store;

import java.nio.file.Path;

/**
 * Every store contract on a real PostgreSQL server ({@link PostgresTestServer}), each test on a
 * database of its own.
 */
class PostgresStoreTest extends StoreTestBase implements StoreMaintenanceContract, PendingChallengeStoreContract,
        AnsweredChallengeStoreContract, OutboxStoreContract, AuditStoreContract, EnrolmentStoreContract,
        EncryptionAtRestContract, StoreLifecycleContract, ConcurrentClaimContract, DurabilityContract,
        IssuedChallengeStoreContract,
        EnrolmentClaimContract, EnrolmentWakeContract, EnrolmentMigrationContract, AcmeAccountStoreContract, ResponseOutboxStoreContract,
        CorrespondentCertificateStoreContract, GatewayPolicyStoreContract {

    @Override
    TestDatabase createDatabase(Path dir) {
        return new TestDatabase.Postgres();
    }
}
