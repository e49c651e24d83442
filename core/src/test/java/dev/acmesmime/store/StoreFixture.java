package dev.acmesmime.store;

import java.nio.file.Path;

/** What every store contract needs from the class that runs it against one database. */
interface StoreFixture {

    /** The store under test (node A), opened on an empty database before each test. */
    AcmeSmimeStore store();

    TestClock clock();

    /** The settings {@link #store()} was opened with. */
    StoreSettings settings();

    TestDatabase database();

    /** A directory for this test's files. */
    Path tempDir();

    /** Opens another store on these settings with the test clock; closed after the test. */
    AcmeSmimeStore open(StoreSettings settings);

    /** A second node on the same database: its own pool and node name. */
    default AcmeSmimeStore openAnotherNode() {
        return open(settings().withNodeName("node-b"));
    }

    /** Closes {@link #store()} (an embedded H2 file can then be opened by another process). */
    void closeStore();

    /** A second, empty database of the same kind, dropped after the test. */
    TestDatabase anotherDatabase();
}
