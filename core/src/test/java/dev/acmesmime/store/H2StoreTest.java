package dev.acmesmime.store;

import java.nio.file.Path;

/** Every store contract on an embedded H2 file database (the default). */
class H2StoreTest extends StoreTestBase implements StoreMaintenanceContract, PendingChallengeStoreContract, AnsweredChallengeStoreContract,
        OutboxStoreContract, AuditStoreContract, EnrolmentStoreContract, EncryptionAtRestContract,
        StoreLifecycleContract, ConcurrentClaimContract, DurabilityContract, IssuedChallengeStoreContract,
        EnrolmentClaimContract, EnrolmentWakeContract, EnrolmentMigrationContract, AcmeAccountStoreContract, ResponseOutboxStoreContract {

    @Override
    TestDatabase createDatabase(Path dir) {
        return new TestDatabase.H2(dir);
    }
}
