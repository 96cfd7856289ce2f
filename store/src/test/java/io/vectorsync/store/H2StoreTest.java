package io.vectorsync.store;

import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** The store contract on the embedded H2 file. */
class H2StoreTest extends StoreContract {

    @TempDir
    Path dataDir;

    @Override
    EventStoreDatabase open() {
        return EventStoreDatabase.openH2(dataDir);
    }

    @Override
    EventStoreDatabase reopen() {
        return EventStoreDatabase.openH2(dataDir);
    }
}
