package dev.acmesmime.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** Opens a store on a fresh database before each test and drops it all afterwards. */
abstract class StoreTestBase implements StoreFixture {
    /** Short delays so that tests can run a whole retry schedule: 1, 2, 4 minutes; 3 attempts. */
    static final RetryPolicy TEST_POLICY =
            new RetryPolicy(Duration.ofMinutes(1), Duration.ofMinutes(4), 3, Duration.ofMinutes(5));

    @TempDir
    Path tempDir;
    private TestDatabase database;
    private final List<TestDatabase> otherDatabases = new ArrayList<>();
    private final List<AcmeSmimeStore> opened = new ArrayList<>();
    private TestClock clock;
    private StoreSettings settings;
    private AcmeSmimeStore store;

    abstract TestDatabase createDatabase(Path dir) throws Exception;

    @BeforeEach
    void openStoreOnEmptyDatabase() throws Exception {
        Path dbDir = Files.createDirectories(tempDir.resolve("db"));
        database = createDatabase(dbDir);
        clock = new TestClock();
        settings = database.settings(tempDir.resolve("conf/acme-smime-master.key"));
        store = open(settings);
    }

    @AfterEach
    void closeEverything() {
        opened.forEach(AcmeSmimeStore::close);
        if (database != null) {
            database.close();
        }
        otherDatabases.forEach(TestDatabase::close);
    }

    @Override
    public AcmeSmimeStore store() {
        return store;
    }

    @Override
    public TestClock clock() {
        return clock;
    }

    @Override
    public StoreSettings settings() {
        return settings;
    }

    @Override
    public TestDatabase database() {
        return database;
    }

    @Override
    public Path tempDir() {
        return tempDir;
    }

    @Override
    public AcmeSmimeStore open(StoreSettings s) {
        AcmeSmimeStore opened = AcmeSmimeStore.builder(s).clock(clock).retryPolicy(TEST_POLICY).open();
        this.opened.add(opened);
        return opened;
    }

    @Override
    public void closeStore() {
        store.close();
    }

    @Override
    public TestDatabase anotherDatabase() {
        try {
            TestDatabase db = createDatabase(Files.createTempDirectory(tempDir, "db"));
            otherDatabases.add(db);
            return db;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
